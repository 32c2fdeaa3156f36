#include "core/buffer/ring_buffer.h"

#include <algorithm>
#include <cstring>

#include "core/util/check.h"

namespace echo {

RingBuffer::RingBuffer(std::size_t capacity) : capacity_(capacity) {}

std::size_t RingBuffer::allocated() const noexcept { return storage_ ? capacity_ : 0; }

std::span<std::byte> RingBuffer::writable() { return writable_regions()[0]; }

void RingBuffer::commit(std::size_t n) {
  const std::size_t tail = capacity_ == 0 ? 0 : (head_ + size_) % capacity_;
  const std::size_t contiguous = full() ? 0 : (tail >= head_ ? capacity_ - tail : head_ - tail);
  ECHO_CHECK(n <= contiguous, "RingBuffer::commit() of more than writable() gave");
  ECHO_CHECK(n == 0 || storage_ != nullptr, "RingBuffer::commit() before writable()");
  size_ += n;
  release_if_drained();  // writable() allocated, but nothing arrived (e.g. recv() returned 0)
}

std::span<const std::byte> RingBuffer::readable() const noexcept { return readable_regions()[0]; }

void RingBuffer::consume(std::size_t n) {
  ECHO_CHECK(n <= size_, "RingBuffer::consume() of more than is stored");
  if (n == 0) return;
  head_ = (head_ + n) % capacity_;
  size_ -= n;
  release_if_drained();
}

std::array<std::span<std::byte>, 2> RingBuffer::writable_regions() {
  if (full()) return {};
  // Not value-initialised: zeroing 64 KiB per allocation cost more than the echo itself.
  if (!storage_) storage_ = std::make_unique_for_overwrite<std::byte[]>(capacity_);
  std::byte* base = storage_.get();
  const std::size_t tail = (head_ + size_) % capacity_;
  if (tail >= head_) {  // not full, so tail == head_ only when empty
    // Free space is [tail, capacity) then [0, head).
    return {std::span<std::byte>(base + tail, capacity_ - tail), std::span<std::byte>(base, head_)};
  }
  return {std::span<std::byte>(base + tail, head_ - tail), std::span<std::byte>()};
}

std::array<std::span<const std::byte>, 2> RingBuffer::readable_regions() const noexcept {
  if (empty()) return {};
  const std::byte* base = storage_.get();
  const std::size_t first = std::min(size_, capacity_ - head_);
  return {std::span<const std::byte>(base + head_, first),
          std::span<const std::byte>(base, size_ - first)};
}

std::size_t RingBuffer::write(std::span<const std::byte> data) {
  if (data.empty()) return 0;  // do not allocate for nothing
  std::size_t taken = 0;
  for (std::span<std::byte> region : writable_regions()) {
    const std::size_t n = std::min(region.size(), data.size() - taken);
    if (n == 0) break;
    std::memcpy(region.data(), data.data() + taken, n);
    taken += n;
  }
  size_ += taken;
  return taken;
}

std::size_t RingBuffer::read(std::span<std::byte> out) {
  std::size_t copied = 0;
  for (std::span<const std::byte> region : readable_regions()) {
    const std::size_t n = std::min(region.size(), out.size() - copied);
    if (n == 0) break;
    std::memcpy(out.data() + copied, region.data(), n);
    copied += n;
  }
  consume(copied);
  return copied;
}

void RingBuffer::release_if_drained() noexcept {
  if (size_ != 0) return;
  head_ = 0;
  storage_.reset();
}

}  // namespace echo
