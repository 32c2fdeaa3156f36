// One event loop of the epoll model. run_epoll() starts --threads of them,
// one thread each; a connection stays on the loop that accepted it.
//
// Why one shared listener per address with EPOLLEXCLUSIVE rather than an
// SO_REUSEPORT listener per loop: with SO_REUSEPORT the kernel hashes each new
// connection to one loop's queue for good, so connections wait behind a loop
// that is busy, paused at --max-connections, or already draining while other
// loops idle, and closing one listener of the group resets the connections
// queued on it. A shared socket also means port 0 is resolved once (the UDP
// socket takes the same port without a race) and no other process of the same
// user can join the port group. EPOLLEXCLUSIVE keeps a new connection from
// waking every loop (no thundering herd); the cost, one accept queue shared by
// all loops, does not matter at the rates an echo server sees.
//
// Draining (SIGINT/SIGTERM): each loop removes the listeners and UDP sockets
// from its epoll set and then calls its `released` callback; run_epoll() closes
// the shared sockets once every loop has done so (model_epoll.cc), so new
// connections are refused and datagrams go unanswered while the accepted
// connections drain. A loop must not close them itself: another loop may still
// use the descriptor numbers, which the kernel could by then have reused.
//
// The UDP sockets are served by one loop only (the first): readers of one
// socket share its queue and its lock, and two loops taking turns on it halved
// the datagram rate on 2 CPUs (docs/performance.md, "Server optimisations").
//
// Sockets are level-triggered and registered once; the interest set changes
// only on transitions: EPOLLIN is dropped while the session's buffer is full
// (backpressure) and EPOLLOUT is asked for only after a send would block.
// Each registration carries a pointer to its Watched record, so an event is
// dispatched without a lookup. Connections echo through the loop's scratch
// buffer (session_pump.h) and hold buffer memory only while bytes wait.
//
// Every kernel call the loop makes (epoll_create1, epoll_ctl, epoll_wait,
// accept4, setsockopt, recv, send, recvmmsg, sendmmsg, sendmsg, and open and
// close of descriptors) goes through context.syscalls, and the descriptors it
// owns (its epoll instance, the connections, the Acceptor's spare) close
// through it. Over a fake kernel (testing/fake_kernel.h), whose numbers the
// listeners, UDP sockets and stop_fd then are too, the loop touches no real
// kernel object: each epoll_wait is one iteration, driven by what the fake
// reports, and the fake ends the run by reporting stop_fd readable (the loop
// drains; run() returns once the connections are closed, at once with
// options.drain_timeout 0).
//
// Example:
//   Result<std::unique_ptr<EpollLoop>> loop = EpollLoop::create(sockets, context);
//   std::thread([&] { Status s = (*loop)->run(); });
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <vector>

#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/session/echo_session.h"
#include "core/util/result.h"
#include "reference/server/acceptor.h"
#include "reference/server/bind.h"
#include "reference/server/context.h"
#include "reference/server/udp_echo.h"

namespace echo::server {

class EpollLoop {
 public:
  // Only a loop created with serve_udp answers datagrams (see above).
  // `released` (may be empty) is called once, from the loop's thread, as soon
  // as the loop will no longer touch the listeners or UDP sockets in any way:
  // when it starts draining, or when run() fails before that.
  [[nodiscard]] static Result<std::unique_ptr<EpollLoop>> create(
      const BoundSockets& sockets, const ServeContext& context, bool serve_udp = true,
      std::function<void()> released = {});
  // Serves until SIGINT/SIGTERM, then drains; an error only if epoll itself fails.
  [[nodiscard]] Status run();

 private:
  using Clock = std::chrono::steady_clock;
  // What an epoll registration points to (epoll_event.data.ptr).
  struct Watched {
    enum class Kind : std::uint8_t { kStop, kListener, kDatagram, kConnection };
    Kind kind;
    int fd;
  };
  struct Connection : Watched {
    Connection(Fd accepted, const Endpoint& from, std::size_t buffer_size, Clock::time_point now);
    Fd socket;  // closes through the seam; empty once closed (the record lives on to the batch's
                // end)
    Endpoint peer;
    EchoSession session;
    std::uint32_t interest = 0;
    Clock::time_point last_progress;  // kept only with an idle timeout
    std::list<Connection>::iterator self;
  };

  EpollLoop(Fd epoll, const BoundSockets& sockets, const ServeContext& context);

  Status watch(Watched& watched, std::uint32_t events);
  void unwatch(const Watched& watched);
  void dispatch(Watched& watched);
  void accept_ready(int listener);
  void add_connection(Accepted accepted);
  void on_connection_ready(Connection& connection);
  void close_connection(Connection& connection, const char* why);
  void pause_accepting(Deadline until);
  void resume_accepting();
  void begin_drain();
  void release_shared_sockets();
  void housekeeping();
  [[nodiscard]] bool idle_limit() const noexcept {
    return context_.options.idle_timeout.count() > 0;
  }
  [[nodiscard]] Deadline next_wake() const;
  [[nodiscard]] bool reserve_slot() noexcept;
  void release_slot() noexcept;

  Fd epoll_;
  const ServeContext& context_;
  Syscalls& syscalls_;  // context_.syscalls
  Watched stop_;
  std::vector<Watched> listeners_;  // never resized after construction: epoll points into it
  std::vector<Watched> udp_sockets_;
  Acceptor acceptor_;
  DatagramEcho udp_echo_;
  // With an idle timeout, least recently active first (a connection that
  // makes progress moves to the back); otherwise in no particular order.
  std::list<Connection> connections_;
  // Closed during this batch of events: freed after it, so no event of the
  // batch can point to a freed record.
  std::list<Connection> closed_;
  std::unique_ptr<std::byte[]> scratch_;  // receive buffer shared by the loop's connections
  std::size_t scratch_size_ = 0;
  bool accepting_ = false;
  Deadline paused_until_ = Deadline::never();  // while !accepting_ && !draining_
  bool paused_at_limit_ = false;               // paused by --max-connections (not by EMFILE)
  bool draining_ = false;
  Deadline drain_deadline_ = Deadline::never();
  std::function<void()> released_;  // emptied once called
};

}  // namespace echo::server
