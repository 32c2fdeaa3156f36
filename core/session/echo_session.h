// EchoSession: what one TCP echo connection does, without sockets (sans-I/O).
// The event loop reports what happened (bytes received, bytes sent, the peer's
// end of stream, an error); the session says what to do next. Every concurrency
// model of the reference server drives the same session, and the fuzzer drives
// it with random event sequences.
//
// Guarantees: what is offered for sending is always the next bytes of what
// was received (an exact echo); at most buffer_capacity bytes are held; the
// session asks to close only once the peer has finished sending and every
// byte was flushed, or at once after an error.
//
// Example (one readiness round of an event loop):
//   EchoSession session(64 * 1024);
//   if (session.wants_read()) {
//     n = recv(fd, session.receive_space());
//     n == 0 ? session.on_peer_eof() : session.on_received(n);
//   }
//   if (session.wants_write()) session.on_sent(send(fd, session.pending_output()));
//   if (session.should_close()) close(fd);
//
// Fast path (what the epoll loop does): while nothing is buffered, receive
// into the loop's own scratch storage, send it straight back, and hand the
// session only what the send left over:
//   if (std::size_t limit = session.direct_receive_limit()) {
//     n = recv(fd, scratch.first(limit));
//     session.on_echoed(scratch.first(n), send(fd, scratch.first(n)));
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/buffer/ring_buffer.h"

namespace echo {

class EchoSession {
 public:
  explicit EchoSession(std::size_t buffer_capacity);

  // Where the next receive should put bytes; empty while the output is full
  // (backpressure: stop reading until some of it is sent).
  [[nodiscard]] std::span<std::byte> receive_space();
  // n bytes were written into receive_space().
  void on_received(std::size_t n);
  // The peer shut down its sending side: flush what is pending, then close.
  void on_peer_eof() noexcept { peer_eof_ = true; }
  // A reset or any other error: close now, pending bytes are dropped.
  void on_error() noexcept { failed_ = true; }

  // How many bytes may be received into the caller's own storage and echoed
  // from there: the capacity while nothing is buffered and reading is wanted,
  // else 0 (buffered bytes go first: use receive_space()).
  [[nodiscard]] std::size_t direct_receive_limit() const noexcept {
    return wants_read() && buffer_.empty() ? buffer_.capacity() : 0;
  }
  // `received` (at most direct_receive_limit() bytes, in the caller's storage)
  // arrived and its first `sent` bytes were already sent back; the rest is
  // copied into the buffer, to be sent next.
  void on_echoed(std::span<const std::byte> received, std::size_t sent);

  // The next bytes to send (a contiguous run; empty when nothing is pending).
  [[nodiscard]] std::span<const std::byte> pending_output() const noexcept;
  // n bytes of pending_output() were sent.
  void on_sent(std::size_t n);

  [[nodiscard]] bool wants_read() const noexcept {
    return !peer_eof_ && !failed_ && !buffer_.full();
  }
  [[nodiscard]] bool wants_write() const noexcept { return !failed_ && !buffer_.empty(); }
  [[nodiscard]] bool should_close() const noexcept {
    return failed_ || (peer_eof_ && buffer_.empty());
  }
  [[nodiscard]] bool peer_finished() const noexcept { return peer_eof_; }

  [[nodiscard]] std::uint64_t bytes_received() const noexcept { return received_; }
  [[nodiscard]] std::uint64_t bytes_sent() const noexcept { return sent_; }
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
  [[nodiscard]] std::size_t memory_held() const noexcept { return buffer_.allocated(); }

 private:
  RingBuffer buffer_;
  std::uint64_t received_ = 0;
  std::uint64_t sent_ = 0;
  bool peer_eof_ = false;
  bool failed_ = false;
};

}  // namespace echo
