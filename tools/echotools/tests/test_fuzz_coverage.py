import unittest
from pathlib import Path

from echotools.fuzz.coverage import module_of, summarise

ROOT = Path("/src/echo")


def entry(filename, covered, count):
    return {"filename": filename, "summary": {"lines": {"covered": covered, "count": count}}}


class SummariseTest(unittest.TestCase):
    def test_line_coverage_per_module(self):
        export = {"data": [{"files": [
            entry("/src/echo/core/codec/delimited.cc", 59, 69),
            entry("/src/echo/core/codec/varint.cc", 31, 32),
            entry("/src/echo/core/buffer/ring_buffer.cc", 67, 69)]}]}
        self.assertEqual(summarise(export, ROOT), {
            "core/buffer": {"covered": 67, "lines": 69, "percent": 97.1},
            "core/codec": {"covered": 90, "lines": 101, "percent": 89.1}})

    def test_sources_named_relative_to_the_build_folder_count(self):
        # What a build under ccache with CCACHE_BASEDIR reports.
        export = {"data": [{"files": [
            entry("/tmp/w/build/coverage/../../../../src/echo/core/address/parse.cc", 148, 155),
            entry("/src/echo/build/coverage/../../core/address/ipv4.cc", 56, 56)]}]}
        self.assertEqual(summarise(export, ROOT),
                         {"core/address": {"covered": 204, "lines": 211, "percent": 96.7}})

    def test_files_outside_the_checkout_or_in_its_build_folders_are_left_out(self):
        self.assertIsNone(module_of("/usr/include/c++/12/bits/vector.tcc", ROOT))
        self.assertIsNone(module_of("/src/echo/build/coverage/generated.cc", ROOT))
        self.assertIsNone(module_of("/src/echoes/core/x.cc", ROOT))
        self.assertEqual(module_of("/src/echo/core/util/result.h", ROOT), "core/util")


if __name__ == "__main__":
    unittest.main()
