import unittest
from pathlib import Path

from echotools.fuzz.stats import (afl_progress, average_exec_per_sec, libfuzzer_progress,
                                  parse_fuzzer_stats)

DATA = Path(__file__).resolve().parent / "data"


class LibFuzzerProgressTest(unittest.TestCase):
    def test_the_last_fork_mode_status_line(self):
        self.assertEqual(libfuzzer_progress((DATA / "libfuzzer_fork.log").read_text()),
                         {"execs": 61402, "coverage": 611, "features": 1988, "corpus": 260,
                          "exec_per_sec": 6255, "crashes": 1})

    def test_the_last_single_process_status_line(self):
        self.assertEqual(libfuzzer_progress((DATA / "libfuzzer_single.log").read_text()),
                         {"execs": 200001, "coverage": 411, "features": 1394, "corpus": 189,
                          "exec_per_sec": 20000, "crashes": 0})

    def test_no_status_line_yet(self):
        self.assertIsNone(libfuzzer_progress("INFO: Seed: 1\nINFO: Loaded 1 modules\n"))
        self.assertIsNone(libfuzzer_progress(""))


class AflProgressTest(unittest.TestCase):
    def test_parses_fuzzer_stats(self):
        fields = parse_fuzzer_stats((DATA / "fuzzer_stats_main.txt").read_text())
        self.assertEqual(fields["execs_per_sec"], "2998.41")
        self.assertEqual(fields["bitmap_cvg"], "1.88%")
        self.assertEqual(fields["command_line"], "afl-fuzz -M main -i in -o sync -- address_fuzzer")

    def test_instances_add_up(self):
        main = (DATA / "fuzzer_stats_main.txt").read_text()
        secondary = main.replace("1800000", "200000").replace("2998.41", "1001.9").replace(
            "1234", "1300").replace("saved_crashes     : 1", "saved_crashes     : 2")
        self.assertEqual(afl_progress([main, secondary]),
                         {"execs": 2000000, "exec_per_sec": 2998 + 1001, "coverage": 1300,
                          "corpus": 512, "crashes": 3, "features": 0})

    def test_nothing_before_the_first_execution(self):
        self.assertIsNone(afl_progress([]))
        self.assertIsNone(afl_progress(["execs_done : 0\n"]))
        self.assertEqual(afl_progress(["execs_done : 5\nexecs_per_sec : n/a\n"])["exec_per_sec"], 0)


class AverageTest(unittest.TestCase):
    def test_executions_over_the_time_fuzzed(self):
        self.assertEqual(average_exec_per_sec({"execs": 600000, "seconds": 120.0}), 5000)
        self.assertIsNone(average_exec_per_sec({"execs": 0, "seconds": 0.0}))
        self.assertIsNone(average_exec_per_sec({"execs": 10, "seconds": 0.0}))


if __name__ == "__main__":
    unittest.main()
