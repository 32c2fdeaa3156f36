// Probe records: self-describing, checksummed messages that a checker sends
// through an echo server to detect loss, duplication, reordering and
// corruption from what comes back. Fields are written one by one in network
// byte order (never by copying a struct, whose padding and byte order vary):
//
//   offset  size  field
//        0     4  magic 0xEC0B5E4D (bytes EC 0B 5E 4D)
//        4     8  sequence number
//       12     8  send time, nanoseconds (the sender's steady clock)
//       20     4  payload length N
//       24     N  payload
//     24+N     4  CRC-32C of bytes 0 .. 24+N (magic through payload)
//
// Resync: ProbeRecordDecoder reads records back to back. When the bytes at
// the current position do not start with the magic, declare a payload longer
// than max_payload, or fail the checksum, it drops one byte and scans forward
// for the next magic. Once a magic is found it reports one DecodeError
// (kBadMagic, kTooLong or kBadChecksum, for the first problem seen) whose
// `skipped` counts every byte dropped, then decodes from that magic. So a
// corrupted or truncated record costs only itself, and inserted garbage only
// its own bytes. Bytes dropped while no magic has been found yet are counted
// in skipped_total() at once and reported when the next magic arrives.
//
// A corrupted length that is still plausible (at most max_payload) makes the
// decoder wait for that many bytes before the checksum can fail; the records
// behind it are then recovered, only delayed. At the end of the input call
// finish(): a record left incomplete is reported as kTruncated and the bytes
// after its start are rescanned, and garbage at the end is reported too
// ("...; skipped 9 bytes to the end of the input").
// Example messages:
//   "expected the probe magic 0xEC0B5E4D; skipped 13 bytes to the next magic"
//   "probe payload length 70000 exceeds the 65536-byte limit; skipped 41 bytes to the next magic"
//   "probe record checksum 0x1A2B3C4D does not match the computed 0x5E6F7081; skipped 52 bytes to
//   the next magic"
//
// Example:
//   std::vector<std::byte> wire;
//   encode_probe_record(wire, {.sequence = 7, .send_time_ns = now_ns(), .payload = payload});
//   ProbeRecordDecoder decoder({.max_payload = 64 * 1024});
//   feed_all(decoder, wire, [&](DecodeEvent<ProbeRecord> event) { ... });
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/codec/decode_event.h"
#include "core/codec/internal/input_buffer.h"

namespace echo {

inline constexpr std::uint32_t kProbeMagic = 0xEC0B5E4D;
inline constexpr std::size_t kProbeHeaderSize = 24;  // magic, sequence, time, length
inline constexpr std::size_t kProbeTrailerSize = 4;  // CRC-32C

struct ProbeRecord {
  std::uint64_t sequence = 0;
  std::uint64_t send_time_ns = 0;
  std::vector<std::byte> payload;

  friend bool operator==(const ProbeRecord&, const ProbeRecord&) = default;
};

// Bytes encode_probe_record writes for a payload of `payload_size` bytes.
[[nodiscard]] constexpr std::size_t probe_record_size(std::size_t payload_size) noexcept {
  return kProbeHeaderSize + payload_size + kProbeTrailerSize;
}

// Appends the encoded record to `out`. The payload must be shorter than
// 4 GiB (checked: aborts otherwise).
void encode_probe_record(std::vector<std::byte>& out, const ProbeRecord& record);

struct ProbeRecordOptions {
  // Longest payload accepted; longer declared lengths are treated as
  // corruption. At most 1 GiB (checked).
  std::size_t max_payload = 64 * 1024;
};

class ProbeRecordDecoder {
 public:
  explicit ProbeRecordDecoder(ProbeRecordOptions options = {});

  // Copies as much of `data` as the buffer limit allows; returns how many bytes.
  [[nodiscard]] std::size_t feed(std::span<const std::byte> data);
  // The next record or resync report; std::nullopt until more input.
  [[nodiscard]] std::optional<DecodeEvent<ProbeRecord>> next();
  // No more input will come: next() reports and rescans an incomplete record.
  void finish() noexcept { finished_ = true; }

  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
  // probe_record_size(max_payload).
  [[nodiscard]] std::size_t buffer_limit() const noexcept { return buffer_.limit(); }
  // Every byte dropped so far, including any not yet reported.
  [[nodiscard]] std::uint64_t skipped_total() const noexcept { return skipped_total_; }
  [[nodiscard]] const ProbeRecordOptions& options() const noexcept { return options_; }

 private:
  // The first problem since the last report, kept as values: the message is
  // formatted once, when the error is reported, not for every byte dropped.
  struct Cause {
    DecodeErrorKind kind = DecodeErrorKind::kBadMagic;
    std::uint64_t first = 0;  // kTooLong: the length; kBadChecksum: the stored CRC; kTruncated: got
    std::uint64_t second = 0;  // kBadChecksum: the computed CRC; kTruncated: expected
    const char* unit = "";     // kTruncated: what `expected` counts
  };

  void drop_bad(std::size_t n, const Cause& cause);
  DecodeError take_pending_error(const char* until);
  // Writes the cause's one-line description into `out`; returns its length.
  std::size_t describe(const Cause& cause, std::span<char> out) const;
  // With finish(): drops a byte of the incomplete record at the front.
  bool truncate(std::size_t expected, const char* unit);

  ProbeRecordOptions options_;
  codec_internal::InputBuffer buffer_;
  std::size_t pending_skipped_ = 0;  // dropped since the last report
  Cause pending_cause_;              // valid while pending_skipped_ > 0
  std::uint64_t skipped_total_ = 0;
  bool finished_ = false;
};

}  // namespace echo
