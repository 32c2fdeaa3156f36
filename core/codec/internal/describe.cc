#include "core/codec/internal/describe.h"

#include <cstdio>

namespace echo::codec_internal {

std::string quoted_byte(std::byte b) {
  const auto c = std::to_integer<unsigned char>(b);
  switch (c) {
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    case '\'':
      return "'\\''";
    case '\\':
      return "'\\\\'";
    default:
      break;
  }
  if (c >= 0x20 && c < 0x7F) return std::string{'\'', static_cast<char>(c), '\''};
  char text[8];
  std::snprintf(text, sizeof text, "'\\x%02X'", c);
  return text;
}

}  // namespace echo::codec_internal
