#include "core/net/syscalls.h"

#include <unistd.h>

namespace echo {
namespace {

Syscalls make_real() noexcept {
  Syscalls s{};
  s.read = [](int fd, void* buffer, size_t length) { return ::read(fd, buffer, length); };
  s.write = [](int fd, const void* buffer, size_t length) { return ::write(fd, buffer, length); };
  s.recv = [](int fd, void* buffer, size_t length, int flags) {
    return ::recv(fd, buffer, length, flags);
  };
  s.send = [](int fd, const void* buffer, size_t length, int flags) {
    return ::send(fd, buffer, length, flags);
  };
  s.readv = [](int fd, const iovec* iov, int count) { return ::readv(fd, iov, count); };
  s.recvmsg = [](int fd, msghdr* message, int flags) { return ::recvmsg(fd, message, flags); };
  s.sendmsg = [](int fd, const msghdr* message, int flags) {
    return ::sendmsg(fd, message, flags);
  };
  s.recvmmsg = [](int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout) {
    return ::recvmmsg(fd, messages, count, flags, timeout);
  };
  s.sendmmsg = [](int fd, mmsghdr* messages, unsigned count, int flags) {
    return ::sendmmsg(fd, messages, count, flags);
  };
  s.poll = [](pollfd* fds, nfds_t count, int timeout_ms) { return ::poll(fds, count, timeout_ms); };
  s.connect = [](int fd, const sockaddr* address, socklen_t length) {
    return ::connect(fd, address, length);
  };
  s.accept4 = [](int fd, sockaddr* address, socklen_t* length, int flags) {
    return ::accept4(fd, address, length, flags);
  };
  return s;
}

Syscalls& current() noexcept {
  static Syscalls table = make_real();
  return table;
}

}  // namespace

const Syscalls& syscalls() noexcept { return current(); }

Syscalls real_syscalls() noexcept { return make_real(); }

ScopedSyscalls::ScopedSyscalls(const Syscalls& replacement) noexcept : previous_(current()) {
  current() = replacement;
}

ScopedSyscalls::~ScopedSyscalls() { current() = previous_; }

}  // namespace echo
