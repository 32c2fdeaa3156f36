// Small formatting helpers for the decoders' one-line error messages.
//
// Example:
//   quoted_byte(std::byte{'\n'})  == "'\\n'"   (prints as '\n')
#pragma once

#include <cstddef>
#include <string>

namespace echo::codec_internal {

// A byte as a C character literal: 'a', '\n', '\x00'.
[[nodiscard]] std::string quoted_byte(std::byte b);

}  // namespace echo::codec_internal
