import re
import unittest
from pathlib import Path

from echotools.fuzz.signature import crash_signature, signature_key

ROOT = "/src/echo"
ASAN = (Path(__file__).resolve().parent / "data" / "asan_heap_overflow.txt").read_text()

UBSAN = """/src/echo/core/codec/varint.cc:31:22: runtime error: left shift of 1 by 63 places cannot be represented in type 'long'
    #0 0x4f1 in echo::codec::decode_varint(std::span<std::byte const>) /src/echo/core/codec/varint.cc:31:22
    #1 0x4f2 in LLVMFuzzerTestOneInput /src/echo/fuzz/length_prefixed_fuzzer.cc:70:9
SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /src/echo/core/codec/varint.cc:31:22
"""

PROPERTY = """Running: crash-77
/src/echo/fuzz/ring_buffer_fuzzer.cc:102: property broken: buffer.size() == model.size()
  size 12, model 13 after 40 operations
==5== ERROR: libFuzzer: deadly signal
    #0 0x1 in __sanitizer_print_stack_trace (/src/echo/build/x+0x1)
    #6 0x7 in abort /build/glibc/stdlib/abort.c:79:7
    #7 0x8 in LLVMFuzzerTestOneInput /src/echo/fuzz/ring_buffer_fuzzer.cc:102:7
    #8 0x9 in main /src/echo/fuzz/replay_main.cc:30:5
"""

TIMEOUT = """ALARM: working on the last Unit for 26 seconds
       and the timeout value is 25 (use -timeout=N to change)
==9== ERROR: libFuzzer: timeout after 26 seconds
    #0 0x1 in echo::RingBuffer::write(std::span<std::byte const>) /src/echo/core/buffer/ring_buffer.cc:40:3
"""

OOM = "==9== ERROR: libFuzzer: out-of-memory (used: 2100Mb; exceeds: 2048Mb)\n"


class CrashSignatureTest(unittest.TestCase):
    def test_asan_type_and_top_project_frames(self):
        kind, frames = crash_signature(ASAN, ROOT)
        self.assertEqual(kind, "AddressSanitizer heap-buffer-overflow")
        # Arguments and anonymous namespaces dropped; engine and libc frames left out.
        self.assertEqual(frames, ["echo::codec::DelimitedDecoder::feed", "check_chunking",
                                  "LLVMFuzzerTestOneInput"])

    def test_ubsan_check_with_numbers_generalised(self):
        kind, frames = crash_signature(UBSAN, ROOT)
        self.assertEqual(kind, "UBSan left shift of N by N places cannot be represented in type '")
        self.assertEqual(frames, ["echo::codec::decode_varint", "LLVMFuzzerTestOneInput"])

    def test_a_broken_property_is_named_by_its_condition(self):
        kind, frames = crash_signature(PROPERTY, ROOT)
        self.assertEqual(kind, "property buffer.size() == model.size()")
        self.assertEqual(frames, ["LLVMFuzzerTestOneInput"])  # replay_main and abort left out

    def test_timeouts_and_out_of_memory(self):
        self.assertEqual(crash_signature(TIMEOUT, ROOT),
                         ("timeout", ["echo::RingBuffer::write"]))
        self.assertEqual(crash_signature(OOM, ROOT), ("out-of-memory", []))
        self.assertEqual(crash_signature("Segmentation fault\n", ROOT), ("crash", []))

    def test_frames_outside_the_checkout_do_not_count(self):
        self.assertEqual(crash_signature(ASAN, "/elsewhere")[1], [])
        self.assertEqual(crash_signature(ASAN, "/src/ech")[1], [])  # a prefix is not a folder

    def test_paths_relative_to_a_build_folder_count(self):
        # ccache with CCACHE_BASEDIR makes the compiler see sources relative to the build
        # folder, here one outside the checkout (fuzz-overnight --workdir /tmp/w).
        relative = ASAN.replace("/src/echo/core/",
                                "/tmp/w/build/fuzz-libfuzzer/../../../../src/echo/core/")
        self.assertEqual(crash_signature(relative, ROOT), crash_signature(ASAN, ROOT))


class DeduplicationTest(unittest.TestCase):
    def test_same_bug_other_run_same_key(self):
        # Another process, other addresses and another line in the same functions.
        again = re.sub(r"0x[0-9a-f]+", "0xdead", ASAN).replace("48213", "777").replace(
            "delimited.cc:57:12", "delimited.cc:58:3")
        self.assertEqual(signature_key(*crash_signature(ASAN, ROOT)),
                         signature_key(*crash_signature(again, ROOT)))

    def test_another_frame_or_kind_is_another_bug(self):
        key = signature_key(*crash_signature(ASAN, ROOT))
        elsewhere = ASAN.replace("DelimitedDecoder::feed", "DelimitedDecoder::resync")
        self.assertNotEqual(key, signature_key(*crash_signature(elsewhere, ROOT)))
        read_after_free = ASAN.replace("heap-buffer-overflow on", "heap-use-after-free on")
        self.assertNotEqual(key, signature_key(*crash_signature(read_after_free, ROOT)))

    def test_key_is_twelve_hex_digits(self):
        self.assertRegex(signature_key("timeout", []), r"^[0-9a-f]{12}$")


if __name__ == "__main__":
    unittest.main()
