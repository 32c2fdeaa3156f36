"""Regenerates the programmatic seeds (fuzz/seeds.cc) and adds them to corpora/, named
by SHA-256; seeds already present are kept, nothing is removed.

  tools/fuzz-seeds [BUILD_DIR]   (default build/gcc; builds the fuzz_seeds target there)

BUILD_DIR is taken relative to the checkout. Prints one line per target, as
tools/fuzz-corpus-add does. Exit 2 if BUILD_DIR is not a configured build folder,
1 if building or running fuzz_seeds fails.
"""
import argparse
import subprocess
import tempfile
from pathlib import Path

from ..cli import fail
from ..paths import ROOT
from .corpus import add_by_hash, input_files

TOOL = "fuzz-seeds"


def main(argv=None):
    parser = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    parser.add_argument("build", nargs="?", default="build/gcc",
                        help="a configured build folder (default build/gcc)")
    args = parser.parse_args(argv)
    build = ROOT / args.build
    if not (build / "build.ninja").is_file():
        fail(TOOL, f"{args.build} is not a configured build folder (try: cmake --preset gcc)")
    if subprocess.run(["cmake", "--build", str(build), "--target", "fuzz_seeds"], cwd=ROOT,
                      stdout=subprocess.DEVNULL).returncode != 0:
        fail(TOOL, f"building fuzz_seeds in {args.build} failed", status=1)
    with tempfile.TemporaryDirectory() as out:
        if subprocess.run([str(build / "bin" / "fuzz_seeds"), out], cwd=ROOT).returncode != 0:
            fail(TOOL, "fuzz_seeds failed", status=1)
        for folder in sorted(p for p in Path(out).iterdir() if p.is_dir()):
            corpus = ROOT / "corpora" / folder.name
            corpus.mkdir(parents=True, exist_ok=True)
            added, present = add_by_hash(corpus, input_files([folder]))
            print(f"fuzz-corpus-add: {folder.name}: {added} added, {present} already present")
    return 0
