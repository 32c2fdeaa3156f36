#include "reference/server/epoll_loop.h"

#include <sys/epoll.h>

#include <array>
#include <cerrno>
#include <string>
#include <utility>

#include "reference/server/refuse_connection.h"
#include "reference/server/session_pump.h"

namespace echo::server {
namespace {

constexpr int kAcceptBudget = 64;  // connections accepted per wake-up, per listener
constexpr int kPumpRounds = 16;    // receive/send rounds per connection per wake-up
constexpr int kDatagramBudget = 64;
// How often a loop paused at --max-connections looks whether another loop freed a slot.
constexpr std::chrono::milliseconds kLimitRecheck{50};

std::uint32_t interest_of(const EchoSession& session) {
  return (session.wants_read() ? EPOLLIN : 0u) | (session.wants_write() ? EPOLLOUT : 0u);
}

}  // namespace

EpollLoop::Connection::Connection(Fd accepted, const Endpoint& from, std::size_t buffer_size,
                                  Clock::time_point now)
    : Watched{Kind::kConnection, accepted.get()},
      socket(std::move(accepted)),
      peer(from),
      session(buffer_size),
      interest(EPOLLIN),
      last_progress(now) {}

Result<std::unique_ptr<EpollLoop>> EpollLoop::create(const BoundSockets& sockets,
                                                     const ServeContext& context, bool serve_udp,
                                                     std::function<void()> released) {
  Fd epoll(context.syscalls.epoll_create1(EPOLL_CLOEXEC), context.syscalls);
  if (!epoll) return system_error("epoll_create1", errno);
  std::unique_ptr<EpollLoop> loop(new EpollLoop(std::move(epoll), sockets, context));
  loop->released_ = std::move(released);
  ECHO_TRY(loop->watch(loop->stop_, EPOLLIN));
  if (!serve_udp) loop->udp_sockets_.clear();
  for (Watched& udp : loop->udp_sockets_) {
    ECHO_TRY(loop->watch(udp, EPOLLIN | EPOLLEXCLUSIVE));
  }
  loop->resume_accepting();
  return loop;
}

EpollLoop::EpollLoop(Fd epoll, const BoundSockets& sockets, const ServeContext& context)
    : epoll_(std::move(epoll)),
      context_(context),
      syscalls_(context.syscalls),
      stop_{Watched::Kind::kStop, context.stop_fd},
      acceptor_(context.syscalls, context.counters, context.log),
      udp_echo_(context.syscalls, context.counters, context.guard, &context.log),
      scratch_(std::make_unique_for_overwrite<std::byte[]>(context.options.buffer_size)),
      scratch_size_(context.options.buffer_size) {
  for (const Fd& fd : sockets.tcp_listeners) {
    listeners_.push_back({Watched::Kind::kListener, fd.get()});
  }
  for (const Fd& fd : sockets.udp_sockets) {
    udp_sockets_.push_back({Watched::Kind::kDatagram, fd.get()});
  }
}

Status EpollLoop::run() {
  std::array<epoll_event, 128> events{};
  while (!(draining_ && connections_.empty())) {
    const int ready =
        syscalls_.epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                             next_wake().poll_timeout_ms());
    if (ready < 0 && errno != EINTR) {
      const Error failure = system_error("epoll_wait", errno);
      release_shared_sockets();  // this loop is done with them too
      return failure;
    }
    for (int i = 0; i < ready; ++i) dispatch(*static_cast<Watched*>(events[i].data.ptr));
    housekeeping();
    closed_.clear();
  }
  return {};
}

Status EpollLoop::watch(Watched& watched, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = &watched;
  if (syscalls_.epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, watched.fd, &event) == 0) return {};
  return system_error("epoll_ctl add", errno);
}

void EpollLoop::unwatch(const Watched& watched) {
  syscalls_.epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, watched.fd, nullptr);
}

void EpollLoop::dispatch(Watched& watched) {
  switch (watched.kind) {
    case Watched::Kind::kStop:
      return begin_drain();
    case Watched::Kind::kListener:
      if (accepting_) accept_ready(watched.fd);  // else a stale event from before a pause
      return;
    case Watched::Kind::kDatagram:
      if (!draining_) udp_echo_.serve_ready(watched.fd, kDatagramBudget);
      return;
    case Watched::Kind::kConnection:
      return on_connection_ready(static_cast<Connection&>(watched));
  }
}

void EpollLoop::accept_ready(int listener) {
  for (int i = 0; i < kAcceptBudget; ++i) {
    if (!reserve_slot()) {
      paused_at_limit_ = true;
      return pause_accepting(Deadline::after(kLimitRecheck));
    }
    Accepted accepted = acceptor_.accept(listener);
    if (accepted.kind == Accepted::kConnection && context_.per_address.try_add(accepted.peer)) {
      add_connection(std::move(accepted));
      continue;
    }
    if (accepted.kind == Accepted::kConnection) {  // its address is at the limit
      refuse_connection(std::move(accepted.connection), accepted.peer, context_);
    }
    release_slot();
    if (accepted.kind == Accepted::kNone) return;
    if (accepted.kind == Accepted::kPause) {
      return pause_accepting(Deadline::after(Acceptor::kPauseInterval));
    }
  }
}

void EpollLoop::add_connection(Accepted accepted) {
  add(context_.counters.connections_accepted);
  if (context_.log.enabled()) context_.log.event("accepted " + accepted.peer.to_string());
  const Clock::time_point now = idle_limit() ? Clock::now() : Clock::time_point{};
  Connection& connection = connections_.emplace_back(std::move(accepted.connection), accepted.peer,
                                                     context_.options.buffer_size, now);
  connection.self = std::prev(connections_.end());
  if (Status s = watch(connection, EPOLLIN); !s) {
    add(context_.counters.errors);
    close_connection(connection, "closed (cannot watch)");
  }
}

void EpollLoop::on_connection_ready(Connection& connection) {
  if (!connection.socket) return;  // closed earlier in this batch
  const std::span<std::byte> scratch(scratch_.get(), scratch_size_);
  const bool moved = pump_session(syscalls_, connection.fd, connection.session, context_.counters,
                                  scratch, kPumpRounds);
  if (moved && idle_limit()) {
    connection.last_progress = Clock::now();
    connections_.splice(connections_.end(), connections_, connection.self);
  }
  if (connection.session.should_close()) return close_connection(connection, "closed");

  const std::uint32_t interest = interest_of(connection.session);
  if (interest == connection.interest) return;
  epoll_event event{};
  event.events = interest;
  event.data.ptr = static_cast<Watched*>(&connection);
  if (syscalls_.epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, connection.fd, &event) != 0) {
    add(context_.counters.errors);
    return close_connection(connection, "closed (cannot watch)");
  }
  connection.interest = interest;
}

void EpollLoop::close_connection(Connection& connection, const char* why) {
  if (!connection.socket) return;
  if (context_.log.enabled()) {
    context_.log.event(std::string(why) + " " + connection.peer.to_string() + " after " +
                       std::to_string(connection.session.bytes_received()) + " bytes");
  }
  // Freed before the close, so a client that sees the end of stream may connect again at once.
  context_.per_address.remove(connection.peer);
  connection.socket.reset();  // closed through the seam; that also removes it from the epoll set
  closed_.splice(closed_.end(), connections_, connection.self);
  release_slot();
  if (paused_at_limit_) resume_accepting();  // a slot is free now
}

void EpollLoop::pause_accepting(Deadline until) {
  paused_until_ = until;
  if (!accepting_) return;
  // EPOLLEXCLUSIVE registrations cannot be modified (EINVAL), only removed and added again.
  for (const Watched& listener : listeners_) unwatch(listener);
  accepting_ = false;
}

void EpollLoop::resume_accepting() {
  if (accepting_ || draining_) return;
  for (Watched& listener : listeners_) {
    if (!watch(listener, EPOLLIN | EPOLLEXCLUSIVE)) add(context_.counters.errors);
  }
  accepting_ = true;
  paused_at_limit_ = false;
  paused_until_ = Deadline::never();
}

void EpollLoop::begin_drain() {
  if (draining_) return;
  unwatch(stop_);  // it stays readable: level-triggered, it would fire forever
  pause_accepting(Deadline::never());
  for (const Watched& udp : udp_sockets_) unwatch(udp);
  draining_ = true;
  drain_deadline_ = Deadline::after(context_.options.drain_timeout);
  // From here on nothing uses the listeners or UDP sockets: dispatch() ignores
  // their stale events (accepting_ and draining_), resume_accepting() refuses.
  release_shared_sockets();
}

void EpollLoop::release_shared_sockets() {
  if (!released_) return;
  std::function<void()> released = std::move(released_);
  released_ = nullptr;
  released();
}

void EpollLoop::housekeeping() {
  if (draining_ && drain_deadline_.expired()) {
    while (!connections_.empty()) close_connection(connections_.front(), "closed (drain timeout)");
    return;
  }
  if (idle_limit()) {
    const Clock::time_point now = Clock::now();
    while (!connections_.empty()) {
      Connection& oldest = connections_.front();
      if (now < oldest.last_progress + context_.options.idle_timeout) break;
      close_connection(oldest, "closed (idle timeout)");
    }
  }
  if (!accepting_ && !draining_ && paused_until_.expired()) resume_accepting();
}

Deadline EpollLoop::next_wake() const {
  Deadline wake = Deadline::never();
  if (draining_) wake = wake.min(drain_deadline_);
  if (!accepting_ && !draining_) wake = wake.min(paused_until_);
  if (idle_limit() && !connections_.empty()) {
    const Connection& oldest = connections_.front();
    wake = wake.min(Deadline::at(oldest.last_progress + context_.options.idle_timeout));
  }
  return wake;
}

bool EpollLoop::reserve_slot() noexcept {
  std::atomic<std::uint64_t>& open = context_.counters.connections_open;
  const std::uint64_t limit = context_.options.max_connections;
  std::uint64_t current = open.load(std::memory_order_relaxed);
  do {
    if (limit != 0 && current >= limit) return false;
  } while (!open.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
  return true;
}

void EpollLoop::release_slot() noexcept {
  context_.counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace echo::server
