// Making untrusted text safe for each report format. Evidence can hold any
// bytes a server sent back, so every report passes it through here first.
//
// Example:
//   valid_utf8("ok\xff");                  // "ok\\xff" (invalid bytes spelled out)
//   printable("a\x1b[31mb", Lines::kFold);  // "a\\x1b[31mb" (no terminal escapes)
//   markup_text("<script>");               // "&lt;script&gt;"
#pragma once

#include <string>
#include <string_view>

namespace echo::conformance::report {

// Whether line breaks and tabs survive printable() (multi-line evidence) or
// are spelled out as \xNN (one-line fields such as terminal rows).
enum class Lines { kKeep, kFold };

// Valid UTF-8 is kept as is; each byte of an invalid sequence (overlong,
// surrogate, truncated, out of range) becomes the four characters "\xNN".
// Nothing else changes, so the result is always valid UTF-8.
[[nodiscard]] std::string valid_utf8(std::string_view text);

// valid_utf8(), and also every control character (C0 except, under
// Lines::kKeep, '\n' and '\t'; DEL; C1) and the non-characters U+FFFE/U+FFFF
// spelled out as "\xNN" per byte. The result is safe on a terminal and is made
// only of characters XML 1.0 allows.
[[nodiscard]] std::string printable(std::string_view text, Lines lines);

// printable(text, Lines::kKeep) with & < > " ' as entities: for HTML and XML
// element content and double- or single-quoted attributes.
[[nodiscard]] std::string markup_text(std::string_view text);

// printable(text, Lines::kKeep) with & < > " ' and also '\n' '\t' as numeric
// references, so that an XML parser's attribute normalisation keeps them.
[[nodiscard]] std::string markup_attribute(std::string_view text);

// The first line of text (without its line break), cut to at most max_chars
// characters with "…" appended when cut. Never splits a UTF-8 sequence.
[[nodiscard]] std::string first_line(std::string_view text, std::size_t max_chars);

}  // namespace echo::conformance::report
