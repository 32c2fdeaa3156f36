#include "core/buffer/ring_buffer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace echo {
namespace {

// Breaking commit()'s or consume()'s precondition is a programming error:
// stop at once with a message rather than corrupt the stream.
void check(bool condition, const char* what, std::size_t n, std::size_t allowed) {
  if (condition) return;
  std::fprintf(stderr, "RingBuffer: %s(%zu) exceeds the %zu bytes allowed\n", what, n, allowed);
  std::abort();
}

}  // namespace

RingBuffer::RingBuffer(std::size_t capacity) : capacity_(capacity) {}

std::size_t RingBuffer::allocated() const noexcept { return storage_ ? capacity_ : 0; }

std::span<std::byte> RingBuffer::writable() { return writable_regions()[0]; }

void RingBuffer::commit(std::size_t n) {
  const std::size_t tail = capacity_ == 0 ? 0 : (head_ + size_) % capacity_;
  const std::size_t contiguous = full() ? 0 : (tail >= head_ ? capacity_ - tail : head_ - tail);
  check(n <= contiguous, "commit", n, contiguous);
  check(n == 0 || storage_ != nullptr, "commit before writable()", n, 0);
  size_ += n;
  release_if_drained();  // writable() allocated, but nothing arrived (e.g. recv() returned 0)
}

std::span<const std::byte> RingBuffer::readable() const noexcept { return readable_regions()[0]; }

void RingBuffer::consume(std::size_t n) {
  check(n <= size_, "consume", n, size_);
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
