// Big-endian (network byte order) loads and appends of fixed-width unsigned
// integers, one byte at a time: no memcpy of structs, no alignment or padding
// assumptions, the same result on every host.
//
// Example:
//   std::vector<std::byte> out;
//   append_be32(out, 0x01020304);            // out == {01, 02, 03, 04}
//   std::uint32_t v = load_be32(out);        // v == 0x01020304
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/util/check.h"

namespace echo {

namespace codec_internal {

template <class T>
[[nodiscard]] T load_be(std::span<const std::byte> in) {
  ECHO_CHECK(in.size() >= sizeof(T), "big-endian load past the end of the input");
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>((value << 8) | std::to_integer<T>(in[i]));
  }
  return value;
}

template <class T>
void append_be(std::vector<std::byte>& out, T value) {
  for (std::size_t i = sizeof(T); i-- > 0;) {
    out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xFF));
  }
}

}  // namespace codec_internal

// Reads the first 2 / 4 / 8 bytes of `in` as a big-endian integer. `in` must
// hold at least that many bytes (checked: aborts otherwise).
[[nodiscard]] inline std::uint16_t load_be16(std::span<const std::byte> in) {
  return codec_internal::load_be<std::uint16_t>(in);
}
[[nodiscard]] inline std::uint32_t load_be32(std::span<const std::byte> in) {
  return codec_internal::load_be<std::uint32_t>(in);
}
[[nodiscard]] inline std::uint64_t load_be64(std::span<const std::byte> in) {
  return codec_internal::load_be<std::uint64_t>(in);
}

// Appends `value` to `out` as 1 / 2 / 4 / 8 big-endian bytes.
inline void append_be8(std::vector<std::byte>& out, std::uint8_t value) {
  codec_internal::append_be(out, value);
}
inline void append_be16(std::vector<std::byte>& out, std::uint16_t value) {
  codec_internal::append_be(out, value);
}
inline void append_be32(std::vector<std::byte>& out, std::uint32_t value) {
  codec_internal::append_be(out, value);
}
inline void append_be64(std::vector<std::byte>& out, std::uint64_t value) {
  codec_internal::append_be(out, value);
}

}  // namespace echo
