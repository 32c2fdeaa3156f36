#include "conformance/oracle/payload.h"

#include <bit>
#include <cstring>

#include "conformance/oracle/random.h"

namespace echo::conformance {

PayloadStream::PayloadStream(std::uint64_t seed, std::uint64_t stream) noexcept
    : key_(derive_seed(seed, stream)) {}

// Counter-mode splitmix64: word k is the mix of key + k·γ, so it needs no state.
std::uint64_t PayloadStream::word(std::uint64_t index) const noexcept {
  return mix64(key_ + index * 0x9E3779B97F4A7C15ull);
}

std::byte PayloadStream::byte_at(std::uint64_t offset) const noexcept {
  return static_cast<std::byte>(word(offset / 8) >> (8 * (offset % 8)));
}

void PayloadStream::fill(std::uint64_t offset, std::span<std::byte> into) const noexcept {
  std::size_t i = 0;
  // Whole aligned words at once: byte k of a word is bits 8k..8k+7, i.e. its
  // little-endian representation, so on little-endian hosts a copy is exact.
  if constexpr (std::endian::native == std::endian::little) {
    while (i < into.size() && (offset + i) % 8 != 0) {
      into[i] = byte_at(offset + i);
      ++i;
    }
    for (; i + 8 <= into.size(); i += 8) {
      const std::uint64_t w = word((offset + i) / 8);
      std::memcpy(into.data() + i, &w, 8);
    }
  }
  while (i < into.size()) {
    const std::uint64_t at = offset + i;
    std::uint64_t w = word(at / 8) >> (8 * (at % 8));
    for (std::uint64_t lane = at % 8; lane < 8 && i < into.size(); ++lane, ++i) {
      into[i] = static_cast<std::byte>(w);
      w >>= 8;
    }
  }
}

std::vector<std::byte> PayloadStream::prefix(std::size_t length) const {
  std::vector<std::byte> bytes(length);
  fill(0, bytes);
  return bytes;
}

}  // namespace echo::conformance
