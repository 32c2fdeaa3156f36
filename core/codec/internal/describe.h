// Small formatting helpers for the decoders' one-line error messages.
//
// Example:
//   quoted_byte(std::byte{'\n'})  == "'\\n'"   (prints as '\n')
//   hex32(0xEC0B5E4D)             == "0xEC0B5E4D"
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace echo::codec_internal {

// A byte as a C character literal: 'a', '\n', '\x00'.
[[nodiscard]] std::string quoted_byte(std::byte b);

// A 32-bit value as 0x followed by 8 upper-case hex digits.
[[nodiscard]] std::string hex32(std::uint32_t value);

}  // namespace echo::codec_internal
