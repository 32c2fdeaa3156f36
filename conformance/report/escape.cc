#include "conformance/report/escape.h"

#include <cstdint>

#include "core/util/markup.h"

namespace echo::conformance::report {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (and
// its code point), or 0 when the first byte does not start one.
std::size_t sequence_length(std::string_view text, char32_t* code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(0);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF) return 0;  // overlong or beyond Unicode
  if (value >= 0xD800 && value <= 0xDFFF) return 0;   // UTF-16 surrogates
  *code_point = value;
  return length;
}

void append_hex_bytes(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    const auto b = static_cast<std::uint8_t>(c);
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
}

bool is_control(char32_t c, Lines lines) {
  if (lines == Lines::kKeep && (c == '\n' || c == '\t')) return false;
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF;
}

// Walks text: valid sequences for which `spell_out` is false are copied, the
// rest become \xNN per byte.
template <class SpellOut>
std::string rewrite(std::string_view text, SpellOut spell_out) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t c = 0;
    std::size_t n = sequence_length(text, &c);
    if (n == 0) {
      append_hex_bytes(out, text.substr(0, 1));
      text.remove_prefix(1);
      continue;
    }
    if (spell_out(c)) {
      append_hex_bytes(out, text.substr(0, n));
    } else {
      out.append(text.substr(0, n));
    }
    text.remove_prefix(n);
  }
  return out;
}

std::string escape_markup(std::string_view text, bool attribute) {
  std::string out;
  for (char c : printable(text, Lines::kKeep)) {
    if (const char* entity = markup_entity(c)) {
      out += entity;
    } else if (attribute && c == '\n') {
      out += "&#10;";
    } else if (attribute && c == '\t') {
      out += "&#9;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  return rewrite(text, [](char32_t) { return false; });
}

std::string printable(std::string_view text, Lines lines) {
  return rewrite(text, [lines](char32_t c) { return is_control(c, lines); });
}

std::string markup_text(std::string_view text) { return escape_markup(text, false); }

std::string markup_attribute(std::string_view text) { return escape_markup(text, true); }

std::string first_line(std::string_view text, std::size_t max_chars) {
  text = text.substr(0, text.find_first_of("\r\n"));
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < text.size() && chars < max_chars) {
    char32_t c = 0;
    std::size_t n = sequence_length(text.substr(i), &c);
    i += n == 0 ? 1 : n;
    ++chars;
  }
  if (i >= text.size()) return std::string(text);
  return std::string(text.substr(0, i)) + "…";
}

}  // namespace echo::conformance::report
