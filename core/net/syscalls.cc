#include "core/net/syscalls.h"

#include <fcntl.h>
#include <unistd.h>

namespace echo {
namespace {

// The kernel. No state: one instance serves every thread.
class RealSyscalls final : public Syscalls {
 public:
  ssize_t read(int fd, void* buffer, size_t length) override { return ::read(fd, buffer, length); }
  ssize_t write(int fd, const void* buffer, size_t length) override {
    return ::write(fd, buffer, length);
  }
  ssize_t recv(int fd, void* buffer, size_t length, int flags) override {
    return ::recv(fd, buffer, length, flags);
  }
  ssize_t send(int fd, const void* buffer, size_t length, int flags) override {
    return ::send(fd, buffer, length, flags);
  }
  ssize_t recvmsg(int fd, msghdr* message, int flags) override {
    return ::recvmsg(fd, message, flags);
  }
  ssize_t sendmsg(int fd, const msghdr* message, int flags) override {
    return ::sendmsg(fd, message, flags);
  }
  int recvmmsg(int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout) override {
    return ::recvmmsg(fd, messages, count, flags, timeout);
  }
  int sendmmsg(int fd, mmsghdr* messages, unsigned count, int flags) override {
    return ::sendmmsg(fd, messages, count, flags);
  }
  int socket(int family, int type, int protocol) override {
    return ::socket(family, type, protocol);
  }
  int bind(int fd, const sockaddr* address, socklen_t length) override {
    return ::bind(fd, address, length);
  }
  int listen(int fd, int backlog) override { return ::listen(fd, backlog); }
  int connect(int fd, const sockaddr* address, socklen_t length) override {
    return ::connect(fd, address, length);
  }
  int accept4(int fd, sockaddr* address, socklen_t* length, int flags) override {
    return ::accept4(fd, address, length, flags);
  }
  int shutdown(int fd, int how) override { return ::shutdown(fd, how); }
  int getsockopt(int fd, int level, int name, void* value, socklen_t* length) override {
    return ::getsockopt(fd, level, name, value, length);
  }
  int setsockopt(int fd, int level, int name, const void* value, socklen_t length) override {
    return ::setsockopt(fd, level, name, value, length);
  }
  int getsockname(int fd, sockaddr* address, socklen_t* length) override {
    return ::getsockname(fd, address, length);
  }
  int getpeername(int fd, sockaddr* address, socklen_t* length) override {
    return ::getpeername(fd, address, length);
  }
  int open(const char* path, int flags) override { return ::open(path, flags); }
  int close(int fd) override { return ::close(fd); }
  int poll(pollfd* fds, nfds_t count, int timeout_ms) override {
    return ::poll(fds, count, timeout_ms);
  }
  int epoll_create1(int flags) override { return ::epoll_create1(flags); }
  int epoll_ctl(int epoll_fd, int operation, int fd, epoll_event* event) override {
    return ::epoll_ctl(epoll_fd, operation, fd, event);
  }
  int epoll_wait(int epoll_fd, epoll_event* events, int max_events, int timeout_ms) override {
    return ::epoll_wait(epoll_fd, events, max_events, timeout_ms);
  }
};

}  // namespace

Syscalls& Syscalls::real() noexcept {
  static RealSyscalls* const instance = new RealSyscalls;
  return *instance;
}

}  // namespace echo
