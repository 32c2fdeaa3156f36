import unittest

from echotools.fuzz.build import sanitizer_label, sanitizers_of
from echotools.fuzz.report import HEADER, html_report, markdown, target_rows


def record(target, **fields):
    base = {"target": target, "engine": "libfuzzer", "seconds": 120.0, "execs": 600000,
            "exec_per_sec": 5200, "coverage": 611, "features": 1988, "corpus": 260,
            "added_to_corpora": 3, "crashes": {}, "seeded": []}
    return {**base, **fields}


STATE = {"engine": "libfuzzer", "finished": "2026-12-06T07:00:00", "targets": {
    "libfuzzer/probe_record_fuzzer": record("probe_record_fuzzer", sanitizers="", jobs=1,
                                            execs=2400000, exec_per_sec=19800),
    "libfuzzer/address_fuzzer": record("address_fuzzer", sanitizers="address,undefined", jobs=2,
                                       crashes={"3f9a0c1b2d4e": {
                                           "kind": "AddressSanitizer heap-buffer-overflow",
                                           "frames": ["echo::parse_ipv6", "LLVMFuzzerTestOneInput"],
                                           "count": 2, "first_seen": "2026-12-06T03:00:00",
                                           "minimised_size": 7,
                                           "reproduce": "w/crashes/address_fuzzer/3f9a/reproduce.sh"}}),
    "libfuzzer/ring_buffer_fuzzer": record("ring_buffer_fuzzer", features=0),  # before builds were recorded
}}


class ReportRowsTest(unittest.TestCase):
    def test_per_target_build_and_exec_per_second(self):
        rows = {row[0]: dict(zip(HEADER, row)) for row in target_rows(STATE)}
        address = rows["address_fuzzer"]
        self.assertEqual(address["build"], "ASan+UBSan, 2 jobs")
        self.assertEqual(address["fuzzed"], "2.0 min")
        self.assertEqual(address["exec/s"], "5,000")  # 600,000 executions in 120 s
        self.assertEqual(address["exec/s (last slice)"], "5,200")
        self.assertEqual(address["coverage"], "611 / 1988 ft")
        self.assertEqual(address["distinct crashes"], "1")
        self.assertEqual(rows["probe_record_fuzzer"]["build"], "none, 1 job")
        self.assertEqual(rows["probe_record_fuzzer"]["exec/s"], "20,000")
        self.assertEqual(rows["ring_buffer_fuzzer"]["build"], "?")
        self.assertEqual(rows["ring_buffer_fuzzer"]["coverage"], "611")

    def test_markdown_has_the_table_and_the_crash(self):
        text = markdown(STATE, None, {"libfuzzer-address_fuzzer": "<svg/>"})
        self.assertIn("| target | engine | build | fuzzed | execs | exec/s | exec/s (last slice) |",
                      text)
        self.assertIn("| address_fuzzer | libfuzzer | ASan+UBSan, 2 jobs | 2.0 min | 600,000 | "
                      "5,000 | 5,200 | 260 | 611 / 1988 ft | 3 | 1 |", text)
        self.assertIn("- **address_fuzzer** `3f9a0c1b2d4e`: AddressSanitizer heap-buffer-overflow "
                      "at `echo::parse_ipv6 < LLVMFuzzerTestOneInput` (seen 2x", text)
        self.assertIn("Not measured (run tools/fuzz-coverage).", text)
        self.assertIn("![libfuzzer-address_fuzzer](plots/libfuzzer-address_fuzzer.svg)", text)

    def test_html_marks_targets_with_crashes(self):
        text = html_report(STATE, None, {})
        self.assertIn("<tr class='bad'><td>address_fuzzer</td>", text)
        self.assertIn("<td>ASan+UBSan, 2 jobs</td>", text)
        self.assertIn("<tr><td>probe_record_fuzzer</td>", text)


class SanitizersTest(unittest.TestCase):
    def test_from_echo_sanitize(self):
        cache = ("CMAKE_CXX_FLAGS:STRING=-fsanitize=fuzzer-no-link\n"
                 "ECHO_SANITIZE:STRING=address,undefined\n"
                 "ECHO_FUZZ_ENGINE:STRING=-fsanitize=fuzzer\n")
        self.assertEqual(sanitizers_of(cache), "address,undefined")

    def test_without_sanitizers(self):
        cache = ("CMAKE_CXX_FLAGS:STRING=-fsanitize=fuzzer-no-link -O2\n"
                 "ECHO_SANITIZE:STRING=\nECHO_FUZZ_ENGINE:STRING=-fsanitize=fuzzer\n")
        self.assertEqual(sanitizers_of(cache), "")

    def test_from_compiler_flags(self):
        cache = "CMAKE_CXX_FLAGS:STRING=-O1 -fsanitize=address,undefined -fsanitize=fuzzer-no-link\n"
        self.assertEqual(sanitizers_of(cache), "address,undefined")

    def test_labels(self):
        self.assertEqual(sanitizer_label("address,undefined"), "ASan+UBSan")
        self.assertEqual(sanitizer_label(""), "none")
        self.assertEqual(sanitizer_label(None), "?")


if __name__ == "__main__":
    unittest.main()
