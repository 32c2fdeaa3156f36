#include "conformance/oracle/hex.h"

#include <algorithm>

namespace echo::conformance {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

void append_hex(std::string& out, std::byte b) {
  const auto v = std::to_integer<unsigned>(b);
  out += kDigits[v >> 4];
  out += kDigits[v & 0xF];
}

std::string overflow_suffix(std::size_t total, std::size_t shown) {
  if (total <= shown) return "";
  return " ...(+" + std::to_string(total - shown) + " bytes)";
}

}  // namespace

std::string hex_excerpt(std::span<const std::byte> bytes, std::size_t mark, std::size_t limit) {
  const std::size_t shown = std::min(bytes.size(), limit);
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i != 0) out += ' ';
    if (i == mark) out += '[';
    append_hex(out, bytes[i]);
    if (i == mark) out += ']';
  }
  return out + overflow_suffix(bytes.size(), shown);
}

std::string quoted_text(std::span<const std::byte> bytes, std::size_t limit) {
  const std::size_t shown = std::min(bytes.size(), limit);
  std::string out = "\"";
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = std::to_integer<unsigned char>(bytes[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      default:
        break;
    }
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      continue;
    }
    out += "\\x";
    append_hex(out, bytes[i]);
  }
  return out + "\"" + overflow_suffix(bytes.size(), shown);
}

std::span<const std::byte> as_bytes(const std::string& text) noexcept {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

}  // namespace echo::conformance
