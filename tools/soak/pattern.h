// The bytes soak clients send: byte `offset` of stream `stream` is a fixed
// function of the two, so every echoed byte can be checked without keeping a
// copy of what was sent (a 10-minute soak sends gigabytes).
//
// Example:
//   fill_pattern(stream, sent, buffer);                  // what to send next
//   if (auto at = first_mismatch(stream, received, echo)) fail(received + *at);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace echo::soak {

[[nodiscard]] inline std::uint8_t pattern_byte(std::uint64_t stream,
                                               std::uint64_t offset) noexcept {
  std::uint64_t x = stream * 0x9E3779B97F4A7C15ull + (offset >> 3);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return static_cast<std::uint8_t>(x >> ((offset & 7) * 8));
}

inline void fill_pattern(std::uint64_t stream, std::uint64_t offset,
                         std::span<std::byte> out) noexcept {
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::byte>(pattern_byte(stream, offset + i));
  }
}

// The index of the first byte of `echo` (which starts at `offset` of the
// stream) that differs from the pattern, if any.
[[nodiscard]] inline std::optional<std::size_t> first_mismatch(
    std::uint64_t stream, std::uint64_t offset, std::span<const std::byte> echo) noexcept {
  for (std::size_t i = 0; i < echo.size(); ++i) {
    if (echo[i] != static_cast<std::byte>(pattern_byte(stream, offset + i))) return i;
  }
  return std::nullopt;
}

}  // namespace echo::soak
