// PayloadStream: the bytes a case sends, generated from (seed, stream id) on
// demand. Byte i is a pure function of (seed, stream, i), so a 64 MiB stream
// is produced and checked chunk by chunk in O(chunk) memory, and any offset
// can be regenerated to show what was expected there.
//
// Example:
//   PayloadStream payload(context.seed, /*stream=*/3);
//   std::array<std::byte, 4096> chunk;
//   payload.fill(offset, chunk);       // bytes offset .. offset+4095 of stream 3
//   payload.byte_at(1'000'000);        // the same byte fill() gives at that offset
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace echo::conformance {

class PayloadStream {
 public:
  PayloadStream(std::uint64_t seed, std::uint64_t stream) noexcept;

  [[nodiscard]] std::byte byte_at(std::uint64_t offset) const noexcept;
  // Writes bytes offset .. offset + into.size() - 1 into `into`.
  void fill(std::uint64_t offset, std::span<std::byte> into) const noexcept;
  // The first `length` bytes, for payloads small enough to hold.
  [[nodiscard]] std::vector<std::byte> prefix(std::size_t length) const;

 private:
  [[nodiscard]] std::uint64_t word(std::uint64_t index) const noexcept;
  std::uint64_t key_;
};

}  // namespace echo::conformance
