// FakeKernel: an in-memory kernel behind the Syscalls seam (core/net/syscalls.h),
// for running the reference server's event loop (EpollLoop) and its parts
// without sockets: TCP listeners with clients waiting to be accepted, clients
// that send a script of bytes and then shut down, reset or wait, UDP sockets
// with queued datagrams, a stop descriptor (the eventfd SIGINT/SIGTERM make
// readable), and epoll instances with level-triggered readiness. What the
// server sends is kept for the test to read.
//
// Descriptors are numbers from kFirstFd up, far above any real descriptor, so
// a call that bypassed the seam would fail with EBADF in the real kernel. A
// call on a number the fake never made, or on a closed one, and every call the
// event loop has no business making (read, connect, poll, ...) fails (EBADF,
// ENOSYS) and is listed in unexpected().
//
// epoll_wait reports what is ready and never waits. When nothing is ready the
// script is over, and it raises the stop descriptor (as SIGTERM would): the
// loop drains and run() returns once its connections are closed (at once with
// options.drain_timeout 0; a client that waits then closes by that timeout).
// One call of epoll_wait is one iteration of EpollLoop::run().
//
// Not thread-safe: one loop per FakeKernel (two loops over two kernels may run
// in two threads). The kernel must outlive the Fds made through it.
//
// Example:
//   FakeKernel kernel;
//   Fd stop(kernel.add_stop(), kernel);
//   BoundSockets sockets;
//   sockets.tcp_listeners.push_back(Fd(kernel.add_listener(), kernel));
//   const int client = kernel.queue_client(sockets.tcp_listeners[0].get(), "hello", peer);
//   const ServeContext context{options, counters, log, stop.get(), kernel, guard, per_address};
//   Status ran = (*EpollLoop::create(sockets, context))->run();
//   EXPECT_EQ(kernel.sent_to(client), "hello");
//   EXPECT_TRUE(kernel.closed(client));
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/address/endpoint.h"
#include "core/net/syscalls.h"

namespace echo::server {

class FakeKernel final : public Syscalls {
 public:
  static constexpr int kFirstFd = 1 << 24;

  // How a client's connection goes on once the server has received its bytes.
  enum class Then {
    kShutDown,  // end of stream (receive returns 0)
    kReset,     // receive fails with ECONNRESET
    kWait,      // nothing more (receive would block)
  };

  struct Datagram {
    Endpoint peer;  // the client: sender of a request, receiver of a reply
    std::string bytes;
    friend bool operator==(const Datagram&, const Datagram&) = default;
  };

  // Descriptors, as a socket()/eventfd() would return them.
  int add_listener();
  int add_udp_socket();
  int add_stop();
  // A client waiting in `listener`'s accept queue that will send `bytes`, then
  // do `then`. Returns the descriptor accept4() will give the server for it.
  int queue_client(int listener, std::string bytes, const Endpoint& peer,
                   Then then = Then::kShutDown);
  void queue_datagram(int udp_socket, std::string bytes, const Endpoint& peer);
  // Makes the stop descriptor readable (as SIGTERM does).
  void raise_stop();

  // Bytes taken per send() on a connection: fewer makes short writes.
  std::size_t send_limit = SIZE_MAX;
  // epoll_wait calls after which the loop counts as stuck: the next one fails
  // (EINVAL, listed in unexpected()), so run() returns instead of spinning.
  std::size_t max_waits = 100'000;

  // What the server sent to the client on `connection`.
  [[nodiscard]] const std::string& sent_to(int connection) const;
  // Every datagram sent from `udp_socket`, a segmented (UDP_SEGMENT) send cut
  // into the datagrams the real kernel would make of it.
  [[nodiscard]] const std::vector<Datagram>& replies(int udp_socket) const;
  [[nodiscard]] bool closed(int fd) const;
  // Whether setsockopt(fd, level, name) was called.
  [[nodiscard]] bool option_set(int fd, int level, int name) const;
  // Descriptors made and not yet closed.
  [[nodiscard]] std::size_t open_descriptors() const;
  // Calls that should not have been made, described ("recv(16777230): not open").
  [[nodiscard]] const std::vector<std::string>& unexpected() const noexcept { return unexpected_; }

  // The Syscalls the event loop makes.
  ssize_t recv(int fd, void* buffer, size_t length, int flags) override;
  ssize_t send(int fd, const void* buffer, size_t length, int flags) override;
  ssize_t sendmsg(int fd, const msghdr* message, int flags) override;
  int recvmmsg(int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout) override;
  int sendmmsg(int fd, mmsghdr* messages, unsigned count, int flags) override;
  int accept4(int fd, sockaddr* address, socklen_t* length, int flags) override;
  int setsockopt(int fd, int level, int name, const void* value, socklen_t length) override;
  int open(const char* path, int flags) override;
  int close(int fd) override;
  int epoll_create1(int flags) override;
  int epoll_ctl(int epoll_fd, int operation, int fd, epoll_event* event) override;
  int epoll_wait(int epoll_fd, epoll_event* events, int max_events, int timeout_ms) override;

  // Calls it does not make: each fails with ENOSYS and is listed in unexpected().
  ssize_t read(int, void*, size_t) override { return not_for_the_loop("read"); }
  ssize_t write(int, const void*, size_t) override { return not_for_the_loop("write"); }
  ssize_t recvmsg(int, msghdr*, int) override { return not_for_the_loop("recvmsg"); }
  int socket(int, int, int) override { return not_for_the_loop("socket"); }
  int bind(int, const sockaddr*, socklen_t) override { return not_for_the_loop("bind"); }
  int listen(int, int) override { return not_for_the_loop("listen"); }
  int connect(int, const sockaddr*, socklen_t) override { return not_for_the_loop("connect"); }
  int shutdown(int, int) override { return not_for_the_loop("shutdown"); }
  int getsockopt(int, int, int, void*, socklen_t*) override {
    return not_for_the_loop("getsockopt");
  }
  int getsockname(int, sockaddr*, socklen_t*) override { return not_for_the_loop("getsockname"); }
  int getpeername(int, sockaddr*, socklen_t*) override { return not_for_the_loop("getpeername"); }
  int poll(pollfd*, nfds_t, int) override { return not_for_the_loop("poll"); }

 private:
  enum class Kind { kListener, kConnection, kUdp, kStop, kEpoll, kFile };
  struct Object {
    Kind kind = Kind::kFile;
    bool open = true;
    std::deque<int> backlog;  // listener: clients not yet accepted
    // connection: the client's side
    Endpoint peer;
    std::string to_receive;  // bytes the server has not received yet
    Then then = Then::kShutDown;
    std::string sent;  // bytes the server sent
    // UDP socket
    std::deque<Datagram> queued;
    std::vector<Datagram> replies;
    bool raised = false;                       // stop
    std::map<int, epoll_event> interest;       // epoll: registered descriptors
    std::vector<std::pair<int, int>> options;  // setsockopt levels and names
  };

  int make(Kind kind);
  // The open object `fd` is, of `kind`; nullptr (errno EBADF, or ENOTSOCK for
  // another kind, and listed in unexpected()) otherwise.
  Object* find(int fd, Kind kind, const char* call);
  Object* find_open(int fd, const char* call);
  [[nodiscard]] std::uint32_t readiness(const Object& object) const;
  void record_reply(Object& udp, const msghdr& message);
  int not_for_the_loop(const char* call);
  int fail(int error, std::string what);

  std::map<int, Object> objects_;  // every descriptor made, closed ones too
  int next_fd_ = kFirstFd;
  std::size_t waits_ = 0;
  int stop_fd_ = -1;
  std::vector<std::string> unexpected_;
};

}  // namespace echo::server
