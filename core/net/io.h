// Reading and writing with EINTR, short transfers, EAGAIN and SIGPIPE handled
// in one place. All sockets made by core/net are non-blocking; the helpers that
// take a Deadline wait with poll() and give up with std::errc::timed_out.
// Sends use MSG_NOSIGNAL, so a peer's reset is an EPIPE/ECONNRESET error, never
// a signal.
//
// Every function makes its system calls through the Syscalls seam passed last
// (syscalls.h); without one, through Syscalls::real().
//
// Example:
//   Status sent = write_all(fd, request, Deadline::after(2s));
//   Status got = read_exact(fd, reply, Deadline::after(2s));
//   // got.error().message: "connection closed after 5 of 16 bytes"
//   //                   or "timed out after 2000 ms waiting to read"
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <system_error>

#include "core/net/deadline.h"
#include "core/net/syscalls.h"
#include "core/util/result.h"

namespace echo {

// The outcome of one non-blocking transfer attempt.
struct Transfer {
  enum class Kind {
    kDone,        // bytes moved (possibly fewer than asked: a short transfer)
    kWouldBlock,  // EAGAIN: nothing moved, wait for readiness
    kEof,         // receive only: the peer shut down its sending side
    kError,       // error holds the cause (e.g. ECONNRESET, EPIPE)
  };
  Kind kind = Kind::kDone;
  std::size_t bytes = 0;
  std::error_code error{};
};

// One recv()/send() (EINTR retried). For sockets; files and pipes use read_fd()/write_fd().
[[nodiscard]] Transfer recv_some(int fd, std::span<std::byte> into,
                                 Syscalls& syscalls = Syscalls::real()) noexcept;
[[nodiscard]] Transfer send_some(int fd, std::span<const std::byte> from,
                                 Syscalls& syscalls = Syscalls::real()) noexcept;
// One read()/write() (EINTR retried), for pipes and files such as stdin/stdout.
[[nodiscard]] Transfer read_fd(int fd, std::span<std::byte> into,
                               Syscalls& syscalls = Syscalls::real()) noexcept;
[[nodiscard]] Transfer write_fd(int fd, std::span<const std::byte> from,
                                Syscalls& syscalls = Syscalls::real()) noexcept;

// Waits until fd is ready for `events` (POLLIN/POLLOUT) or the deadline passes.
// Returns the revents seen (POLLHUP/POLLERR included). Expiry says what was
// awaited: "timed out after 2000 ms waiting to read" (or "to write").
[[nodiscard]] Result<short> wait_ready(int fd, short events, Deadline deadline,
                                       Syscalls& syscalls = Syscalls::real());
// The same, for callers that wait in a loop: the message names `waiting_for`
// ("waiting for a datagram") and counts the milliseconds from `started`.
[[nodiscard]] Result<short> wait_ready(int fd, short events, Deadline deadline,
                                       std::string_view waiting_for,
                                       Deadline::Clock::time_point started,
                                       Syscalls& syscalls = Syscalls::real());

// The Error for a wait that ran out of time, code std::errc::timed_out:
// "timed out after 2000 ms <waiting_for>", the milliseconds from `started` to the deadline.
[[nodiscard]] Error timeout_error(std::string_view waiting_for, Deadline::Clock::time_point started,
                                  Deadline deadline);

// Receives at least one byte, or 0 at end of stream, by the deadline.
[[nodiscard]] Result<std::size_t> read_some(int fd, std::span<std::byte> into, Deadline deadline,
                                            Syscalls& syscalls = Syscalls::real());
// Receives exactly into.size() bytes; end of stream before that is an error
// (std::errc::connection_aborted, message says how many bytes arrived).
[[nodiscard]] Status read_exact(int fd, std::span<std::byte> into, Deadline deadline,
                                Syscalls& syscalls = Syscalls::real());
// Sends every byte of `from` on socket `fd`, by the deadline: the one "send it
// all" of the project (the client, the tests, and the fixture servers with
// Deadline::never() on their blocking sockets). Short sends continue where they
// stopped, EINTR is retried, EAGAIN waits for POLLOUT, and MSG_NOSIGNAL makes
// a peer's reset an error (EPIPE, ECONNRESET), never SIGPIPE. The deadline is
// for the whole write, not renewed as bytes move; its expiry is
// std::errc::timed_out ("timed out after 2000 ms waiting to write"). On an
// error the bytes already sent are gone. Sockets only: pipes and files use
// write_fd().
[[nodiscard]] Status write_all(int fd, std::span<const std::byte> from, Deadline deadline,
                               Syscalls& syscalls = Syscalls::real());

}  // namespace echo
