#include "core/codec/varint.h"

namespace echo {

VarintDecoded decode_varint(std::span<const std::byte> input) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kMaxVarintSize; ++i) {
    if (i == input.size()) return {VarintStatus::kIncomplete, 0, i};
    const auto byte = std::to_integer<std::uint64_t>(input[i]);
    const std::size_t size = i + 1;
    if (i == kMaxVarintSize - 1) {
      if (byte & 0x80) return {VarintStatus::kTooLong, 0, size};
      if (byte > 0x01) return {VarintStatus::kOverflow, 0, size};
    }
    value |= (byte & 0x7F) << (7 * i);
    if (byte & 0x80) continue;
    if (byte == 0 && i > 0) return {VarintStatus::kNonMinimal, value, size};
    return {VarintStatus::kOk, value, size};
  }
  return {VarintStatus::kTooLong, 0, kMaxVarintSize};  // not reached: the 10th byte decides
}

void encode_varint(std::vector<std::byte>& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::byte>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::byte>(value));
}

std::size_t varint_size(std::uint64_t value) noexcept {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

}  // namespace echo
