// StreamWindow: the bytes of a stream that were taken from standard input but
// have not come back yet, so each echoed byte can be checked against the byte
// sent at the same offset with bounded memory. TCP flow control bounds how far
// the echo lags behind the sending, and the window is capped: the stream loop
// stops reading standard input while the window is full.
//
// Offsets count from the start of the stream: bytes [echoed(), sent()) are
// awaited from the server, bytes [sent(), taken()) are still to be sent.
//
// Example:
//   StreamWindow window(64 << 20);
//   window.take(bytes_from_stdin);
//   window.on_sent(send(fd, window.unsent()));
//   EchoCheck check = window.check_echo(bytes_from_socket);
//   if (check.verdict != EchoCheck::kMatch) report(check.offset);
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace echo::client {

struct EchoCheck {
  enum Verdict {
    kMatch,      // every byte equals the byte sent at its offset
    kDiffers,    // the byte at `offset` differs from the byte sent there
    kUnexpected  // the server sent bytes at `offset` that were not sent yet (or ever)
  };
  Verdict verdict = kMatch;
  std::uint64_t offset = 0;  // stream offset of the first bad byte
  std::byte sent{};          // kDiffers: what was sent at offset
  std::byte received{};      // kDiffers and kUnexpected: what came back there
};

class StreamWindow {
 public:
  explicit StreamWindow(std::size_t capacity) : capacity_(capacity) {}

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::size_t held() const noexcept { return held_; }
  [[nodiscard]] std::size_t free_space() const noexcept { return capacity_ - held_; }
  [[nodiscard]] bool full() const noexcept { return held_ >= capacity_; }

  // Appends bytes read from standard input (at most free_space(); the rest is dropped).
  void take(std::span<const std::byte> data);
  // The next contiguous run of bytes to send; empty when all taken bytes were sent.
  [[nodiscard]] std::span<const std::byte> unsent() const noexcept;
  // n bytes of unsent() were sent.
  void on_sent(std::size_t n);
  // Checks bytes that came back, in order, and releases those that matched.
  // After a failed check the window is left as it was before the bad byte.
  [[nodiscard]] EchoCheck check_echo(std::span<const std::byte> echoed);

  [[nodiscard]] std::uint64_t taken() const noexcept { return taken_; }
  [[nodiscard]] std::uint64_t sent() const noexcept { return sent_; }
  [[nodiscard]] std::uint64_t echoed() const noexcept { return echoed_; }
  [[nodiscard]] bool all_sent() const noexcept { return sent_ == taken_; }
  [[nodiscard]] bool all_echoed() const noexcept { return echoed_ == taken_; }

 private:
  std::size_t capacity_;
  std::size_t held_ = 0;
  // Chunks as read; the front chunk's first echo_skip_ bytes were already echoed.
  std::deque<std::vector<std::byte>> chunks_;
  std::size_t echo_skip_ = 0;
  std::size_t send_chunk_ = 0;  // index in chunks_ of the next byte to send
  std::size_t send_skip_ = 0;   // its offset in that chunk
  std::uint64_t taken_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t echoed_ = 0;
};

}  // namespace echo::client
