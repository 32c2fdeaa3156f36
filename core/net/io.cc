#include "core/net/io.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>

namespace echo {
namespace {

using Clock = Deadline::Clock;

// Transfer's `error` when there is none. Copied rather than made each time: a
// default std::error_code calls std::system_category(), out of line, on every
// receive and send of the server (about 1 % of its CPU in perf).
const std::error_code kNoError{};

std::error_code errno_code(int value) { return std::error_code(value, std::generic_category()); }

// Turns one system call result into a Transfer. `zero_is_eof` says whether a zero
// return means end of stream (receives) or just zero bytes moved (sends).
Transfer to_transfer(ssize_t result, int saved_errno, bool zero_is_eof) noexcept {
  if (result > 0) return {Transfer::Kind::kDone, static_cast<std::size_t>(result), kNoError};
  if (result == 0) {
    return {zero_is_eof ? Transfer::Kind::kEof : Transfer::Kind::kDone, 0, kNoError};
  }
  if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) {
    return {Transfer::Kind::kWouldBlock, 0, kNoError};
  }
  return {Transfer::Kind::kError, 0, errno_code(saved_errno)};
}

// Calls `attempt` until it stops failing with EINTR.
template <class Call>
Transfer retry_eintr(Call attempt, bool zero_is_eof) noexcept {
  for (;;) {
    ssize_t result = attempt();
    if (result < 0 && errno == EINTR) continue;
    return to_transfer(result, result < 0 ? errno : 0, zero_is_eof);
  }
}

std::string_view describe(short events) {
  if (events & POLLIN) return "waiting to read";
  if (events & POLLOUT) return "waiting to write";
  return "waiting for the descriptor";
}

Result<std::size_t> read_some_since(int fd, std::span<std::byte> into, Deadline deadline,
                                    Clock::time_point started, Syscalls& syscalls) {
  for (;;) {
    Transfer t = recv_some(fd, into, syscalls);
    switch (t.kind) {
      case Transfer::Kind::kDone:
        return t.bytes;
      case Transfer::Kind::kEof:
        return std::size_t{0};
      case Transfer::Kind::kError:
        return system_error("cannot receive", t.error.value());
      case Transfer::Kind::kWouldBlock:
        break;
    }
    Result<short> ready = wait_ready(fd, POLLIN, deadline, "waiting to read", started, syscalls);
    if (!ready) return ready.error();
  }
}

}  // namespace

Transfer recv_some(int fd, std::span<std::byte> into, Syscalls& syscalls) noexcept {
  if (into.empty()) return {};
  return retry_eintr([&] { return syscalls.recv(fd, into.data(), into.size(), MSG_DONTWAIT); },
                     true);
}

Transfer send_some(int fd, std::span<const std::byte> from, Syscalls& syscalls) noexcept {
  if (from.empty()) return {};
  return retry_eintr(
      [&] { return syscalls.send(fd, from.data(), from.size(), MSG_NOSIGNAL | MSG_DONTWAIT); },
      false);
}

Transfer read_fd(int fd, std::span<std::byte> into, Syscalls& syscalls) noexcept {
  if (into.empty()) return {};
  return retry_eintr([&] { return syscalls.read(fd, into.data(), into.size()); }, true);
}

Transfer write_fd(int fd, std::span<const std::byte> from, Syscalls& syscalls) noexcept {
  if (from.empty()) return {};
  return retry_eintr([&] { return syscalls.write(fd, from.data(), from.size()); }, false);
}

Error timeout_error(std::string_view waiting_for, Clock::time_point started, Deadline deadline) {
  auto budget = deadline.when() > started ? deadline.when() - started : Clock::duration::zero();
  auto ms = std::chrono::round<std::chrono::milliseconds>(budget).count();
  std::string message = "timed out after " + std::to_string(ms) + " ms ";
  message += waiting_for;
  return Error{std::move(message), std::make_error_code(std::errc::timed_out)};
}

Result<short> wait_ready(int fd, short events, Deadline deadline, Syscalls& syscalls) {
  return wait_ready(fd, events, deadline, describe(events), Clock::now(), syscalls);
}

Result<short> wait_ready(int fd, short events, Deadline deadline, std::string_view waiting_for,
                         Clock::time_point started, Syscalls& syscalls) {
  for (;;) {
    pollfd entry{fd, events, 0};
    int n = syscalls.poll(&entry, 1, deadline.poll_timeout_ms());
    if (n < 0) {
      if (errno == EINTR) continue;
      return system_error("poll", errno);
    }
    if (n > 0) {
      if (entry.revents & POLLNVAL) return system_error("poll", EBADF);
      return entry.revents;
    }
    // poll() rounds to whole milliseconds and may wake a little early.
    if (deadline.expired()) return timeout_error(waiting_for, started, deadline);
  }
}

Result<std::size_t> read_some(int fd, std::span<std::byte> into, Deadline deadline,
                              Syscalls& syscalls) {
  return read_some_since(fd, into, deadline, Clock::now(), syscalls);
}

Status read_exact(int fd, std::span<std::byte> into, Deadline deadline, Syscalls& syscalls) {
  const Clock::time_point started = Clock::now();
  std::size_t done = 0;
  while (done < into.size()) {
    Result<std::size_t> n = read_some_since(fd, into.subspan(done), deadline, started, syscalls);
    if (!n) return n.error();
    if (*n == 0) {
      return Error{"connection closed after " + std::to_string(done) + " of " +
                       std::to_string(into.size()) + " bytes",
                   std::make_error_code(std::errc::connection_aborted)};
    }
    done += *n;
  }
  return {};
}

Status write_all(int fd, std::span<const std::byte> from, Deadline deadline, Syscalls& syscalls) {
  const Clock::time_point started = Clock::now();
  std::size_t done = 0;
  while (done < from.size()) {
    Transfer t = send_some(fd, from.subspan(done), syscalls);
    switch (t.kind) {
      case Transfer::Kind::kDone:
        done += t.bytes;
        if (t.bytes > 0) continue;
        break;  // nothing moved: wait rather than spin
      case Transfer::Kind::kError:
        return system_error("cannot send", t.error.value());
      case Transfer::Kind::kEof:
      case Transfer::Kind::kWouldBlock:
        break;
    }
    Result<short> ready = wait_ready(fd, POLLOUT, deadline, "waiting to write", started, syscalls);
    if (!ready) return ready.error();
  }
  return {};
}

}  // namespace echo
