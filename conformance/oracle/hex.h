// Rendering bytes as evidence: hex excerpts and C-style escaped text.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>

namespace echo::conformance {

inline constexpr std::size_t kNoMark = std::numeric_limits<std::size_t>::max();

// "48 65 [6c] 6c 6f": lower-case hex pairs separated by spaces; the byte at
// index `mark` (if any) is bracketed. More than `limit` bytes end with " …(+N)".
[[nodiscard]] std::string hex_excerpt(std::span<const std::byte> bytes, std::size_t mark = kNoMark,
                                      std::size_t limit = 64);

// "hello\r\n\x00": printable ASCII as is, everything else escaped; quotes added.
[[nodiscard]] std::string quoted_text(std::span<const std::byte> bytes, std::size_t limit = 64);

[[nodiscard]] std::span<const std::byte> as_bytes(const std::string& text) noexcept;

}  // namespace echo::conformance
