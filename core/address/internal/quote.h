// Quoting of user input inside error messages, private to core/address.
//
// Input can be anything a fuzzer or a user typed, so the quoted form escapes
// control and non-ASCII bytes as \xNN and is clipped to keep an error one
// short line.
//
// Example:
//   quoted("1.2.3")    // "'1.2.3'"
//   quoted("a\nb")     // "'a\\x0ab'"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace echo::address_internal {

// The text escaped and clipped to at most `limit` input bytes ("..." marks a cut).
[[nodiscard]] inline std::string clipped(std::string_view text, std::size_t limit = 64) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out += static_cast<char>(byte);
      continue;
    }
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  if (text.size() > limit) out += "...";
  return out;
}

// clipped() between single quotes, as error messages show input.
[[nodiscard]] inline std::string quoted(std::string_view text) { return "'" + clipped(text) + "'"; }

}  // namespace echo::address_internal
