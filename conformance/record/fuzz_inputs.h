// Recorded traffic in the input layouts of the fuzz targets (fuzz/<target>.cc
// describes each layout at the top of its file), so that what a real server
// sent back seeds the fuzzers: `echo-conformance --record-corpus`.
//
// Example:
//   RecordedStream s{.expected = sent, .expected_length = sent.size(),
//                    .received = echoed, .chunk_ends = {5, echoed.size()}};
//   recorder.record(case_id, kStreamVerifierFuzzer, stream_verifier_input(s));
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace echo::conformance {

inline constexpr std::string_view kStreamVerifierFuzzer = "stream_verifier_fuzzer";
inline constexpr std::string_view kDelimitedFuzzer = "delimited_fuzzer";
inline constexpr std::string_view kProbeRecordFuzzer = "probe_record_fuzzer";
inline constexpr std::string_view kTargetListFuzzer = "target_list_fuzzer";

using Bytes = std::vector<std::byte>;

// One TCP echo as it came back: the first bytes of what was expected, and the
// received bytes with the end offset of every recv() chunk.
struct RecordedStream {
  Bytes expected;                       // a prefix of the expected stream
  std::uint64_t expected_length = 0;    // of the whole expected stream
  Bytes received;                       // at most 65,535 bytes are encoded
  std::vector<std::size_t> chunk_ends;  // ascending, the last one == received.size()
};

// stream_verifier_fuzzer: its input builds the received stream from operations
// on an expected stream it generates itself (16-bit length), so the recording
// keeps the shape, not the bytes, of what was expected: the same length (at
// most 65,535), the same chunk boundaries, a matching byte where one matched
// (op 0), a corrupted byte where one was wrong (op 3), the extra bytes as they
// came (op 1) and a boundary after every recv() chunk (op 4).
[[nodiscard]] Bytes stream_verifier_input(const RecordedStream& stream);

// delimited_fuzzer: delimiter '\n', max_length 64, delimiter included, then
// the received stream.
[[nodiscard]] Bytes delimited_input(std::span<const std::byte> received);

// probe_record_fuzzer: max_payload 64 KiB (the decoder's default, which
// udp.burst uses), then the datagrams one after another.
[[nodiscard]] Bytes probe_record_input(std::span<const Bytes> datagrams);

// target_list_fuzzer: the target as typed.
[[nodiscard]] Bytes target_list_input(std::string_view target);

// Whether every byte is printable ASCII, tab, CR or LF (and there is one).
[[nodiscard]] bool is_text(std::span<const std::byte> bytes);

}  // namespace echo::conformance
