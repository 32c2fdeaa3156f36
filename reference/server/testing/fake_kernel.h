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
// Scripted up front, every call gets the plain answer: a recv() all the bytes
// there are, a send() all it offers (up to send_limit), accept4() the next
// client. A Decisions object passed in (a fuzzer's, fuzz/server_loop_fuzzer.cc)
// decides call by call instead: errors (EINTR, EAGAIN, ECONNRESET, EMFILE,
// refused UDP_SEGMENT sends, ...), short transfers and partial batches, and
// at each epoll_wait what happens next (clients arriving, datagrams, a stop).
// The fake keeps what a property check needs: what each client sent, what the
// server received and sent back, the most it held at once, which datagrams it
// answered, and which descriptors are still open. It also refuses what the
// real kernel refuses: a datagram over the UDP maximum, a UDP_SEGMENT send of
// more than 64 segments (listed in unexpected()).
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
    // Request: the local address it was sent to, delivered as IP_PKTINFO /
    // IPV6_PKTINFO (empty: none). Reply: the source address the server asked
    // for with packet information (empty: none). Packet information has no port.
    Endpoint local{};
    // Request: a GRO buffer, delivered with a UDP_GRO segment size: the
    // datagrams of `segment` bytes (the last may be shorter) a peer sent as one
    // GSO burst. 0: one datagram. Replies are always single datagrams (0).
    std::size_t segment = 0;
    friend bool operator==(const Datagram&, const Datagram&) = default;
  };

  // The calls a Decisions object is asked about.
  enum class Call : std::uint8_t {
    kRecv,    // available: bytes the client sent and the server has not received, up to its length
    kSend,    // available: the length offered
    kAccept,  // available: clients waiting (asked only when some are)
    kOpen,    // available: 1
    kRecvmmsg,  // available: datagrams queued, up to the count (asked only when some are)
    kSendmmsg,  // available: the count; segmented: the first message carries UDP_SEGMENT
    kSendmsg,   // available: 1; segmented: it carries UDP_SEGMENT
  };
  struct Question {
    Call call;
    int fd;  // -1 for kOpen
    std::size_t available;
    bool segmented = false;
  };
  struct Answer {
    // An errno to fail with (the call then does nothing, except: ECONNRESET
    // and EPIPE reset a connection; ECONNABORTED drops the first waiting
    // client, as when it reset before it was accepted), or 0.
    int error = 0;
    // Without an error, how many of the available units move (bytes, clients
    // or messages): at least 1 and at most `available` (and send_limit for a
    // send). A send offered nothing, a recv() of nothing, moves nothing.
    std::size_t amount = SIZE_MAX;
  };

  // Where the fake's choices come from. The default gives every call the
  // plain answer, runs no script of its own, and ends the run when nothing is
  // ready: what the tests with a script set up front want.
  class Decisions {
   public:
    virtual ~Decisions() = default;
    [[nodiscard]] virtual Answer answer(const Question&) { return {}; }
    // At the start of each epoll_wait: the script may go on (queue clients or
    // datagrams, raise the stop). Returns an errno for this epoll_wait to
    // fail with (EINTR), or 0.
    virtual int before_wait(FakeKernel&) { return 0; }
    // When nothing is ready: whether the script went on (queued something; the
    // fake looks at readiness again) or is over (the fake raises the stop
    // descriptor). Must return false in the end.
    virtual bool when_idle(FakeKernel&) { return false; }
  };

  // A client's connection, as the client sees it.
  struct ClientView {
    bool accepted = false;      // accept4() gave it to the server
    bool closed = false;        // the server closed it after accepting it
    bool used = false;          // the server made a call on it besides close() (it was not shed)
    bool reset = false;         // by its script, an Answer, or a send after that
    bool end_received = false;  // a recv() returned 0: the server saw the end of its stream
    std::size_t received = 0;   // bytes of its script the server received
    // The most bytes of it the server could hold at once: at each recv(), the
    // bytes received and not yet sent back plus the room offered (so a server
    // that offers more room than its buffer shows even when fewer bytes come).
    std::size_t max_held = 0;
  };

  // The plain answer to every call (see Decisions).
  static Decisions& plain() noexcept;

  explicit FakeKernel(Decisions& decisions = plain()) noexcept : decisions_(decisions) {}

  // Descriptors, as a socket()/eventfd() would return them.
  int add_listener();
  int add_udp_socket();
  int add_stop();
  // A client waiting in `listener`'s accept queue that will send `bytes`, then
  // do `then`. Returns the descriptor accept4() will give the server for it.
  int queue_client(int listener, std::string bytes, const Endpoint& peer,
                   Then then = Then::kShutDown);
  void queue_datagram(int udp_socket, std::string bytes, const Endpoint& peer);
  void queue_datagram(int udp_socket, Datagram datagram);
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
  [[nodiscard]] ClientView client(int connection) const;
  // Datagrams (GRO buffers count as one) still queued on `udp_socket`.
  [[nodiscard]] std::size_t queued(int udp_socket) const;
  // Datagrams in sends an Answer refused (a segmented send counts each segment).
  [[nodiscard]] std::size_t refused_datagrams() const noexcept { return refused_datagrams_; }
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
    std::string script;         // bytes the client sends
    std::size_t delivered = 0;  // of them, received by the server
    Then then = Then::kShutDown;
    std::string sent;  // bytes the server sent
    bool accepted = false;
    bool used = false;
    bool reset = false;
    bool end_received = false;
    std::size_t max_held = 0;
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
  void deliver(const Datagram& datagram, mmsghdr& into) const;
  // A UDP send as the kernel takes it: recorded (cut into its datagrams), or
  // refused as the real kernel would (errno set, listed in unexpected()).
  bool record_reply(Object& udp, const msghdr& message);
  [[nodiscard]] static std::size_t datagrams_in(const msghdr& message);
  int not_for_the_loop(const char* call);
  int fail(int error, std::string what);

  Decisions& decisions_;
  std::map<int, Object> objects_;  // every descriptor made, closed ones too
  std::size_t refused_datagrams_ = 0;
  int next_fd_ = kFirstFd;
  std::size_t waits_ = 0;
  int stop_fd_ = -1;
  std::vector<std::string> unexpected_;
};

}  // namespace echo::server
