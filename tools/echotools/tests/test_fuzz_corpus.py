import hashlib
import tempfile
import unittest
from pathlib import Path

from echotools.fuzz.corpus import add_by_hash, corpus_files, input_files


class CorpusTest(unittest.TestCase):
    def setUp(self):
        work = tempfile.TemporaryDirectory()
        self.addCleanup(work.cleanup)
        self.work = Path(work.name)
        self.inputs = self.work / "in"
        (self.inputs / "sub").mkdir(parents=True)
        (self.inputs / ".hidden").mkdir()
        (self.inputs / "a").write_bytes(b"one")
        (self.inputs / "sub" / "b").write_bytes(b"two")
        (self.inputs / "sub" / "same-as-a").write_bytes(b"one")
        (self.inputs / ".dotfile").write_bytes(b"skip")
        (self.inputs / ".hidden" / "c").write_bytes(b"skip too")

    def test_input_files_recurse_and_skip_dotfiles(self):
        names = [p.relative_to(self.inputs).as_posix() for p in input_files([self.inputs])]
        self.assertEqual(names, ["a", "sub/b", "sub/same-as-a"])
        with self.assertRaisesRegex(ValueError, "neither a file nor a folder"):
            input_files([self.work / "missing"])

    def test_adds_by_hash_once(self):
        corpus = self.work / "corpus"
        corpus.mkdir()
        self.assertEqual(add_by_hash(corpus, input_files([self.inputs])), (2, 1))
        self.assertEqual(sorted(p.name for p in corpus_files(corpus)),
                         sorted(hashlib.sha256(d).hexdigest() for d in (b"one", b"two")))
        self.assertEqual(add_by_hash(corpus, input_files([self.inputs])), (0, 3))

    def test_regressions_get_a_name_and_a_short_hash(self):
        added = add_by_hash(self.work, [self.inputs / "a"], prefix="overflow")
        self.assertEqual(added, (1, 0))
        self.assertTrue((self.work / f"overflow-{hashlib.sha256(b'one').hexdigest()[:12]}").is_file())

    def test_corpus_files_are_the_top_level_inputs(self):
        self.assertEqual([p.name for p in corpus_files(self.inputs)], ["a"])
        self.assertEqual(corpus_files(self.work / "missing"), [])


if __name__ == "__main__":
    unittest.main()
