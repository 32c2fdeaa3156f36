// RingBuffer: a bounded byte FIFO that hands out contiguous spans, so bytes go
// from recv() into the buffer and from the buffer to send() with no extra copy.
// full() and empty() are the server's backpressure signals: stop reading while
// full, stop asking for writability once empty. Storage is allocated on the
// first write and released when the buffer drains, so an idle connection costs
// no buffer memory.
//
// Example:
//   RingBuffer buffer(64 * 1024);
//   std::span<std::byte> space = buffer.writable();   // empty when full()
//   buffer.commit(recv(fd, space.data(), space.size(), 0));
//   std::span<const std::byte> data = buffer.readable();
//   buffer.consume(send(fd, data.data(), data.size(), MSG_NOSIGNAL));
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>

namespace echo {

class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity);

  RingBuffer(RingBuffer&&) noexcept = default;
  RingBuffer& operator=(RingBuffer&&) noexcept = default;

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t free_space() const noexcept { return capacity_ - size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] bool full() const noexcept { return size_ == capacity_; }
  // Bytes of storage held now: 0 while empty, capacity() otherwise.
  [[nodiscard]] std::size_t allocated() const noexcept;

  // The largest contiguous free region at the tail; empty when full().
  [[nodiscard]] std::span<std::byte> writable();
  // Marks the first n bytes of writable() as filled. n must not exceed it.
  void commit(std::size_t n);
  // The oldest contiguous run of stored bytes; empty when empty().
  [[nodiscard]] std::span<const std::byte> readable() const noexcept;
  // Drops the first n bytes of readable(). n must not exceed size().
  void consume(std::size_t n);

  // Both free regions / both stored runs in order, for readv() and writev().
  // The second span is empty when the region does not wrap.
  [[nodiscard]] std::array<std::span<std::byte>, 2> writable_regions();
  [[nodiscard]] std::array<std::span<const std::byte>, 2> readable_regions() const noexcept;

  // Copies as much of data as fits; returns how many bytes were taken.
  std::size_t write(std::span<const std::byte> data);
  // Copies up to out.size() bytes out and consumes them; returns how many.
  std::size_t read(std::span<std::byte> out);

 private:
  void release_if_drained() noexcept;

  std::unique_ptr<std::byte[]> storage_;
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;  // index of the oldest stored byte
  std::size_t size_ = 0;
};

}  // namespace echo
