#include "core/codec/internal/input_buffer.h"

#include <algorithm>

#include "core/util/check.h"

namespace echo::codec_internal {

std::size_t InputBuffer::append(std::span<const std::byte> data) {
  const std::size_t n = std::min(data.size(), limit_ - size());
  if (n == 0) return 0;
  if (bytes_.size() + n > limit_) {  // move the unread bytes to the front first
    bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  bytes_.insert(bytes_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

std::span<const std::byte> InputBuffer::view() const noexcept {
  return std::span<const std::byte>(bytes_).subspan(start_);
}

void InputBuffer::drop(std::size_t n) {
  ECHO_CHECK(n <= size(), "InputBuffer::drop past the unread bytes");
  start_ += n;
  if (start_ == bytes_.size()) {
    bytes_.clear();
    start_ = 0;
  }
}

void InputBuffer::clear() noexcept {
  bytes_ = {};
  start_ = 0;
}

}  // namespace echo::codec_internal
