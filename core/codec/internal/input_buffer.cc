#include "core/codec/internal/input_buffer.h"

#include <algorithm>
#include <cstring>

#include "core/util/check.h"

namespace echo::codec_internal {
namespace {

constexpr std::size_t kFirstCapacity = 256;

}  // namespace

std::size_t InputBuffer::append(std::span<const std::byte> data) {
  const std::size_t n = std::min(data.size(), limit_ - size());
  if (n == 0) return 0;
  // Start at a few hundred bytes, not at the first chunk's size: fed a byte
  // at a time, a buffer would otherwise reallocate at every power of two.
  if (bytes_.capacity() == 0) bytes_.reserve(std::min(limit_, std::max(n, kFirstCapacity)));
  if (bytes_.size() + n > limit_) {  // move the unread bytes to the front first
    bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  const std::size_t end = bytes_.size();
  bytes_.resize(end + n);
  std::memcpy(bytes_.data() + end, data.data(), n);
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
