// Unsigned LEB128 varints (as in Protocol Buffers): 7 bits per byte, least
// significant group first, the high bit set on every byte but the last. A
// uint64 takes 1 to 10 bytes.
//
// The decoder is strict, so that every value has exactly one encoding:
//   - more than 10 bytes (the 10th still has its continuation bit) is kTooLong;
//   - a 10th byte above 0x01 would set bits past 63: kOverflow;
//   - a last byte of 0x00 after other bytes (e.g. 80 00 for 0) is kNonMinimal.
//
// Example:
//   std::vector<std::byte> out;
//   encode_varint(out, 300);                       // out == {AC, 02}
//   VarintDecoded d = decode_varint(out);          // {kOk, 300, 2}
//   decode_varint(std::span(out).first(1)).status  // kIncomplete
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace echo {

inline constexpr std::size_t kMaxVarintSize = 10;

enum class VarintStatus {
  kOk,          // value and size are set
  kIncomplete,  // the input ends before the last byte; more input may complete it
  kTooLong,     // 10 bytes read and the 10th still has its continuation bit
  kOverflow,    // the 10th byte is above 0x01: the value does not fit in 64 bits
  kNonMinimal,  // a shorter encoding of the same value exists
};

struct VarintDecoded {
  VarintStatus status = VarintStatus::kIncomplete;
  std::uint64_t value = 0;  // valid when status == kOk
  std::size_t size = 0;     // bytes the varint occupies (kOk, kNonMinimal) or examined (errors)
};

// Decodes the varint at the start of `input`. Reads at most 10 bytes and never
// past the end of `input`.
[[nodiscard]] VarintDecoded decode_varint(std::span<const std::byte> input) noexcept;

// Appends the minimal encoding of `value` to `out`.
void encode_varint(std::vector<std::byte>& out, std::uint64_t value);

// The number of bytes encode_varint writes for `value` (1 to 10).
[[nodiscard]] std::size_t varint_size(std::uint64_t value) noexcept;

}  // namespace echo
