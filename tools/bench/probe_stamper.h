// ProbeStamper: writes probe records (core/codec/probe_record.h) whose payload
// never changes, fast enough for bulk loads. encode_probe_record() runs the
// CRC-32C over the whole record, one byte at a time; here only the 24-byte
// header is checksummed per message and the payload's part is added with a
// precomputed linear map (a CRC is linear over GF(2): the state after the
// payload is A^n(state before) xor crc_of_payload_from_zero, and A^n is
// tabulated once per payload length). The output is byte-identical to
// encode_probe_record() (tested).
//
// Example:
//   ProbeStamper stamper(payload_for_size(record_size));
//   std::vector<std::byte> slot(stamper.record_size());
//   stamper.fill(slot);                      // once: magic, length, payload
//   stamper.stamp(slot, seq, now_ns());      // per message: sequence, time, checksum
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace echo::bench {

class ProbeStamper {
 public:
  explicit ProbeStamper(std::vector<std::byte> payload);

  [[nodiscard]] std::size_t record_size() const noexcept;
  [[nodiscard]] std::span<const std::byte> payload() const noexcept { return payload_; }

  // Writes a whole record (sequence 0, time 0) into `record` (record_size() bytes).
  void fill(std::span<std::byte> record) const;
  // Rewrites the sequence, time and checksum of a record that fill() wrote.
  void stamp(std::span<std::byte> record, std::uint64_t sequence,
             std::uint64_t send_time_ns) const noexcept;
  // Whether `record` is exactly the record stamp() writes for its own sequence and time
  // (magic, length, payload and checksum all as they should be).
  [[nodiscard]] bool is_intact(std::span<const std::byte> record) const noexcept;

 private:
  [[nodiscard]] std::uint32_t checksum(std::span<const std::byte> header) const noexcept;

  std::vector<std::byte> payload_;
  std::uint32_t payload_raw_crc_ = 0;                      // raw CRC state of the payload from 0
  std::array<std::array<std::uint32_t, 256>, 4> shift_{};  // A^n, one table per state byte
};

// The payload of a record of `record_size` bytes on the wire (>= 28): a
// repeating, position-dependent pattern, so a shifted or swapped byte shows.
[[nodiscard]] std::vector<std::byte> payload_for_size(std::size_t record_size);

// Reads the sequence number / send time of a record (at least 20 bytes).
[[nodiscard]] std::uint64_t record_sequence(std::span<const std::byte> record) noexcept;
[[nodiscard]] std::uint64_t record_time(std::span<const std::byte> record) noexcept;

}  // namespace echo::bench
