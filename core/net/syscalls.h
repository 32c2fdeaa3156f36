// The one seam between the I/O helpers and the kernel. Every read, write,
// send, receive, poll, connect and accept made by core/net goes through
// syscalls(), so tests can inject EINTR, EAGAIN, short transfers and resets
// without a network (see ScopedSyscalls).
//
// Example (in a test):
//   Syscalls fake = real_syscalls();
//   fake.send = [](int, const void*, size_t n, int) -> ssize_t { return n > 1 ? 1 : n; };
//   ScopedSyscalls scope(fake);   // every send() is now a short write of one byte
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

namespace echo {

struct Syscalls {
  ssize_t (*read)(int fd, void* buffer, size_t length);
  ssize_t (*write)(int fd, const void* buffer, size_t length);
  ssize_t (*recv)(int fd, void* buffer, size_t length, int flags);
  ssize_t (*send)(int fd, const void* buffer, size_t length, int flags);
  ssize_t (*readv)(int fd, const iovec* iov, int count);
  ssize_t (*recvmsg)(int fd, msghdr* message, int flags);
  ssize_t (*sendmsg)(int fd, const msghdr* message, int flags);
  int (*recvmmsg)(int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout);
  int (*sendmmsg)(int fd, mmsghdr* messages, unsigned count, int flags);
  int (*poll)(pollfd* fds, nfds_t count, int timeout_ms);
  int (*connect)(int fd, const sockaddr* address, socklen_t length);
  int (*accept4)(int fd, sockaddr* address, socklen_t* length, int flags);
};

// The table in force (the real system calls unless a test replaced them).
[[nodiscard]] const Syscalls& syscalls() noexcept;
// The real system calls, as a starting point for a fake.
[[nodiscard]] Syscalls real_syscalls() noexcept;

// Replaces the table for its lifetime; restores the previous one after. Not
// thread-safe: install it before starting threads that do I/O.
class ScopedSyscalls {
 public:
  explicit ScopedSyscalls(const Syscalls& replacement) noexcept;
  ~ScopedSyscalls();
  ScopedSyscalls(const ScopedSyscalls&) = delete;
  ScopedSyscalls& operator=(const ScopedSyscalls&) = delete;

 private:
  Syscalls previous_;
};

}  // namespace echo
