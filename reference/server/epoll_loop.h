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
// all loops, does not matter at the rates an echo server sees. The UDP sockets
// are shared the same way.
//
// Sockets are level-triggered and registered once; the interest set changes
// only on transitions: EPOLLIN is dropped while the session's buffer is full
// (backpressure) and EPOLLOUT is asked for only after a send would block.
//
// Example:
//   Result<std::unique_ptr<EpollLoop>> loop = EpollLoop::create(sockets, context);
//   std::thread([&] { Status s = (*loop)->run(); });
#pragma once

#include <chrono>
#include <list>
#include <memory>
#include <unordered_map>
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
  [[nodiscard]] static Result<std::unique_ptr<EpollLoop>> create(const BoundSockets& sockets,
                                                                 const ServeContext& context);
  // Serves until SIGINT/SIGTERM, then drains; an error only if epoll itself fails.
  [[nodiscard]] Status run();

 private:
  using Clock = std::chrono::steady_clock;
  struct Connection {
    Fd fd;
    Endpoint peer;
    EchoSession session;
    std::uint32_t interest = 0;
    Clock::time_point last_progress;
    std::list<int>::iterator idle_position;  // in idle_order_
  };

  EpollLoop(Fd epoll, const BoundSockets& sockets, const ServeContext& context);

  Status watch(int fd, std::uint32_t events);
  void unwatch(int fd);
  void dispatch(int fd, std::uint32_t events);
  void accept_ready(int listener);
  void add_connection(Accepted accepted);
  void on_connection_ready(Connection& connection);
  void close_connection(int fd, const char* why);
  void pause_accepting(Deadline until);
  void resume_accepting();
  void begin_drain();
  void housekeeping();
  [[nodiscard]] Deadline next_wake() const;
  [[nodiscard]] bool reserve_slot() noexcept;
  void release_slot() noexcept;

  Fd epoll_;
  const ServeContext& context_;
  std::vector<int> listeners_;
  std::vector<int> udp_sockets_;
  Acceptor acceptor_;
  DatagramEcho udp_echo_;
  std::unordered_map<int, Connection> connections_;
  std::list<int> idle_order_;  // connections, least recently active first
  bool accepting_ = false;
  Deadline paused_until_ = Deadline::never();  // while !accepting_ && !draining_
  bool paused_at_limit_ = false;               // paused by --max-connections (not by EMFILE)
  bool draining_ = false;
  Deadline drain_deadline_ = Deadline::never();
};

}  // namespace echo::server
