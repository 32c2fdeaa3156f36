// Syscalls: the seam between the code that does I/O and the kernel, as an
// object passed in (as quiche passes its QuicUdpSocketApi). core/net's
// helpers, the reference server's components (EpollLoop, Acceptor,
// DatagramEcho, pump_session), the client's transfers and the checker's pump
// make every system call through the Syscalls they were given, so a test or a
// fuzzer can inject EINTR, EAGAIN, short transfers, resets and EMFILE, or run
// them over an in-memory kernel, without a network. Nothing is global: two
// servers with two different fakes run side by side in one process.
//
// Each member function has the system call's signature and contract: the
// result, and errno set on failure. Syscalls::real() is the kernel itself: a
// stateless object, safe to share between threads.
//
// Writing a fake:
// - To change a few calls, derive from ForwardingSyscalls and override them;
//   the rest go on to the next Syscalls (by default the real one). State the
//   fake needs lives in its members.
// - To be sure nothing reaches the kernel (an in-memory kernel for a fuzzer),
//   derive from Syscalls itself: the compiler then asks for every call.
// Descriptors made through a seam (tcp_accept, udp_socket, ...) are Fds that
// close through the same seam (fd.h), so a fake must outlive them.
//
// Example (in a test: every send is a short write of one byte):
//   class OneByteSends : public ForwardingSyscalls {
//    public:
//     ssize_t send(int fd, const void* buffer, size_t length, int flags) override {
//       return next().send(fd, buffer, length > 1 ? 1 : length, flags);
//     }
//   };
//   OneByteSends fake;
//   Status sent = write_all(fd, data, Deadline::after(1s), fake);  // one byte per send()
//   Status real = write_all(fd, data, Deadline::after(1s));        // Syscalls::real()
#pragma once

#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace echo {

class Syscalls {
 public:
  // The real system calls. Never destroyed: descriptors closed by static
  // destructors still reach it.
  [[nodiscard]] static Syscalls& real() noexcept;

  Syscalls() = default;
  Syscalls(const Syscalls&) = delete;
  Syscalls& operator=(const Syscalls&) = delete;
  virtual ~Syscalls() = default;

  // Transfers.
  virtual ssize_t read(int fd, void* buffer, size_t length) = 0;
  virtual ssize_t write(int fd, const void* buffer, size_t length) = 0;
  virtual ssize_t recv(int fd, void* buffer, size_t length, int flags) = 0;
  virtual ssize_t send(int fd, const void* buffer, size_t length, int flags) = 0;
  virtual ssize_t recvmsg(int fd, msghdr* message, int flags) = 0;
  virtual ssize_t sendmsg(int fd, const msghdr* message, int flags) = 0;
  virtual int recvmmsg(int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout) = 0;
  virtual int sendmmsg(int fd, mmsghdr* messages, unsigned count, int flags) = 0;

  // Sockets.
  virtual int socket(int family, int type, int protocol) = 0;
  virtual int bind(int fd, const sockaddr* address, socklen_t length) = 0;
  virtual int listen(int fd, int backlog) = 0;
  virtual int connect(int fd, const sockaddr* address, socklen_t length) = 0;
  virtual int accept4(int fd, sockaddr* address, socklen_t* length, int flags) = 0;
  virtual int shutdown(int fd, int how) = 0;
  virtual int getsockopt(int fd, int level, int name, void* value, socklen_t* length) = 0;
  virtual int setsockopt(int fd, int level, int name, const void* value, socklen_t length) = 0;
  virtual int getsockname(int fd, sockaddr* address, socklen_t* length) = 0;
  virtual int getpeername(int fd, sockaddr* address, socklen_t* length) = 0;

  // Descriptors (open never creates a file: no mode).
  virtual int open(const char* path, int flags) = 0;
  virtual int close(int fd) = 0;

  // Readiness.
  virtual int poll(pollfd* fds, nfds_t count, int timeout_ms) = 0;
  virtual int epoll_create1(int flags) = 0;
  virtual int epoll_ctl(int epoll_fd, int operation, int fd, epoll_event* event) = 0;
  virtual int epoll_wait(int epoll_fd, epoll_event* events, int max_events, int timeout_ms) = 0;
};

// A Syscalls that passes every call on to `next` (the real system calls unless
// given another): the base of a fake that changes only a few calls.
class ForwardingSyscalls : public Syscalls {
 public:
  explicit ForwardingSyscalls(Syscalls& next = Syscalls::real()) noexcept : next_(next) {}

  ssize_t read(int fd, void* buffer, size_t length) override {
    return next_.read(fd, buffer, length);
  }
  ssize_t write(int fd, const void* buffer, size_t length) override {
    return next_.write(fd, buffer, length);
  }
  ssize_t recv(int fd, void* buffer, size_t length, int flags) override {
    return next_.recv(fd, buffer, length, flags);
  }
  ssize_t send(int fd, const void* buffer, size_t length, int flags) override {
    return next_.send(fd, buffer, length, flags);
  }
  ssize_t recvmsg(int fd, msghdr* message, int flags) override {
    return next_.recvmsg(fd, message, flags);
  }
  ssize_t sendmsg(int fd, const msghdr* message, int flags) override {
    return next_.sendmsg(fd, message, flags);
  }
  int recvmmsg(int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout) override {
    return next_.recvmmsg(fd, messages, count, flags, timeout);
  }
  int sendmmsg(int fd, mmsghdr* messages, unsigned count, int flags) override {
    return next_.sendmmsg(fd, messages, count, flags);
  }
  int socket(int family, int type, int protocol) override {
    return next_.socket(family, type, protocol);
  }
  int bind(int fd, const sockaddr* address, socklen_t length) override {
    return next_.bind(fd, address, length);
  }
  int listen(int fd, int backlog) override { return next_.listen(fd, backlog); }
  int connect(int fd, const sockaddr* address, socklen_t length) override {
    return next_.connect(fd, address, length);
  }
  int accept4(int fd, sockaddr* address, socklen_t* length, int flags) override {
    return next_.accept4(fd, address, length, flags);
  }
  int shutdown(int fd, int how) override { return next_.shutdown(fd, how); }
  int getsockopt(int fd, int level, int name, void* value, socklen_t* length) override {
    return next_.getsockopt(fd, level, name, value, length);
  }
  int setsockopt(int fd, int level, int name, const void* value, socklen_t length) override {
    return next_.setsockopt(fd, level, name, value, length);
  }
  int getsockname(int fd, sockaddr* address, socklen_t* length) override {
    return next_.getsockname(fd, address, length);
  }
  int getpeername(int fd, sockaddr* address, socklen_t* length) override {
    return next_.getpeername(fd, address, length);
  }
  int open(const char* path, int flags) override { return next_.open(path, flags); }
  int close(int fd) override { return next_.close(fd); }
  int poll(pollfd* fds, nfds_t count, int timeout_ms) override {
    return next_.poll(fds, count, timeout_ms);
  }
  int epoll_create1(int flags) override { return next_.epoll_create1(flags); }
  int epoll_ctl(int epoll_fd, int operation, int fd, epoll_event* event) override {
    return next_.epoll_ctl(epoll_fd, operation, fd, event);
  }
  int epoll_wait(int epoll_fd, epoll_event* events, int max_events, int timeout_ms) override {
    return next_.epoll_wait(epoll_fd, events, max_events, timeout_ms);
  }

 protected:
  // Where the calls a fake does not change go.
  [[nodiscard]] Syscalls& next() const noexcept { return next_; }

 private:
  Syscalls& next_;
};

}  // namespace echo
