// Views between text and bytes, for protocols, tests and messages that carry text.
//
// Example:
//   send_some(fd, as_bytes("hello"));
//   EXPECT_EQ(to_string(std::span(buffer).first(n)), "hello");
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace echo {

[[nodiscard]] inline std::span<const std::byte> as_bytes(std::string_view text) noexcept {
  return std::as_bytes(std::span(text.data(), text.size()));
}

[[nodiscard]] inline std::string to_string(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace echo
