// FuzzInput: takes typed values off the front of a fuzz input, returning zero
// once it runs out, so a target never reads past the end. A smaller, portable
// stand-in for clang's FuzzedDataProvider (which g++ does not ship).
//
// Example:
//   FuzzInput in(data, size);
//   std::size_t capacity = 1 + in.take_u16() % 4096;
//   while (!in.empty()) apply(in.take_u8(), in.take_u16());
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace echo::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, std::size_t size) : rest_(data, size) {}

  [[nodiscard]] bool empty() const noexcept { return rest_.empty(); }
  [[nodiscard]] std::size_t remaining() const noexcept { return rest_.size(); }

  uint8_t take_u8() noexcept {
    if (rest_.empty()) return 0;
    uint8_t value = rest_.front();
    rest_ = rest_.subspan(1);
    return value;
  }

  uint16_t take_u16() noexcept {
    uint16_t high = take_u8();
    return static_cast<uint16_t>(high << 8 | take_u8());
  }

  // Up to n bytes (fewer at the end of the input).
  std::span<const uint8_t> take_bytes(std::size_t n) noexcept {
    std::span<const uint8_t> taken = rest_.first(n < rest_.size() ? n : rest_.size());
    rest_ = rest_.subspan(taken.size());
    return taken;
  }

  std::span<const uint8_t> take_rest() noexcept { return take_bytes(rest_.size()); }

 private:
  std::span<const uint8_t> rest_;
};

// A fuzz input seen as text.
inline std::string_view as_text(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace echo::fuzz
