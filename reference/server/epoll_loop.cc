#include "reference/server/epoll_loop.h"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>

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

Result<std::unique_ptr<EpollLoop>> EpollLoop::create(const BoundSockets& sockets,
                                                     const ServeContext& context) {
  Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll) return system_error("epoll_create1", errno);
  std::unique_ptr<EpollLoop> loop(new EpollLoop(std::move(epoll), sockets, context));
  if (Status s = loop->watch(context.stop_fd, EPOLLIN); !s) return s.error();
  for (int fd : loop->udp_sockets_) {
    if (Status s = loop->watch(fd, EPOLLIN | EPOLLEXCLUSIVE); !s) return s.error();
  }
  loop->resume_accepting();
  return loop;
}

EpollLoop::EpollLoop(Fd epoll, const BoundSockets& sockets, const ServeContext& context)
    : epoll_(std::move(epoll)),
      context_(context),
      acceptor_(context.counters, context.log),
      udp_echo_(context.counters) {
  for (const Fd& fd : sockets.tcp_listeners) listeners_.push_back(fd.get());
  for (const Fd& fd : sockets.udp_sockets) udp_sockets_.push_back(fd.get());
}

Status EpollLoop::run() {
  std::array<epoll_event, 128> events{};
  while (!(draining_ && connections_.empty())) {
    const int ready = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                                   next_wake().poll_timeout_ms());
    if (ready < 0 && errno != EINTR) return system_error("epoll_wait", errno);
    for (int i = 0; i < ready; ++i) dispatch(events[i].data.fd, events[i].events);
    housekeeping();
  }
  return {};
}

Status EpollLoop::watch(int fd, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) == 0) return {};
  return system_error("epoll_ctl add", errno);
}

void EpollLoop::unwatch(int fd) { ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

void EpollLoop::dispatch(int fd, std::uint32_t events) {
  if (fd == context_.stop_fd) return begin_drain();
  if (std::find(listeners_.begin(), listeners_.end(), fd) != listeners_.end()) {
    if (accepting_) accept_ready(fd);
    return;
  }
  if (std::find(udp_sockets_.begin(), udp_sockets_.end(), fd) != udp_sockets_.end()) {
    if (!draining_) udp_echo_.serve_ready(fd, kDatagramBudget);
    return;
  }
  auto found = connections_.find(fd);
  if (found != connections_.end() && events != 0) on_connection_ready(found->second);
}

void EpollLoop::accept_ready(int listener) {
  for (int i = 0; i < kAcceptBudget; ++i) {
    if (!reserve_slot()) {
      paused_at_limit_ = true;
      return pause_accepting(Deadline::after(kLimitRecheck));
    }
    Accepted accepted = acceptor_.accept(listener);
    if (accepted.kind == Accepted::kConnection) {
      add_connection(std::move(accepted));
      continue;
    }
    release_slot();
    if (accepted.kind == Accepted::kNone) return;
    if (accepted.kind == Accepted::kPause) {
      return pause_accepting(Deadline::after(Acceptor::kPauseInterval));
    }
  }
}

void EpollLoop::add_connection(Accepted accepted) {
  const int fd = accepted.connection.get();
  add(context_.counters.connections_accepted);
  context_.log.event("accepted " + accepted.peer.to_string());
  idle_order_.push_back(fd);
  Connection connection{std::move(accepted.connection),
                        accepted.peer,
                        EchoSession(context_.options.buffer_size),
                        EPOLLIN,
                        Clock::now(),
                        std::prev(idle_order_.end())};
  connections_.emplace(fd, std::move(connection));
  if (Status s = watch(fd, EPOLLIN); !s) {
    add(context_.counters.errors);
    close_connection(fd, "closed (cannot watch)");
  }
}

void EpollLoop::on_connection_ready(Connection& connection) {
  const int fd = connection.fd.get();
  if (pump_session(fd, connection.session, context_.counters, kPumpRounds)) {
    connection.last_progress = Clock::now();
    idle_order_.splice(idle_order_.end(), idle_order_, connection.idle_position);
  }
  if (connection.session.should_close()) return close_connection(fd, "closed");

  const std::uint32_t interest = interest_of(connection.session);
  if (interest == connection.interest) return;
  epoll_event event{};
  event.events = interest;
  event.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &event) != 0) {
    add(context_.counters.errors);
    return close_connection(fd, "closed (cannot watch)");
  }
  connection.interest = interest;
}

void EpollLoop::close_connection(int fd, const char* why) {
  auto found = connections_.find(fd);
  if (found == connections_.end()) return;
  Connection& connection = found->second;
  context_.log.event(std::string(why) + " " + connection.peer.to_string() + " after " +
                     std::to_string(connection.session.bytes_received()) + " bytes");
  idle_order_.erase(connection.idle_position);
  connections_.erase(found);  // closing the socket also removes it from the epoll set
  release_slot();
  if (paused_at_limit_) resume_accepting();  // a slot is free now
}

void EpollLoop::pause_accepting(Deadline until) {
  paused_until_ = until;
  if (!accepting_) return;
  // EPOLLEXCLUSIVE registrations cannot be modified (EINVAL), only removed and added again.
  for (int fd : listeners_) unwatch(fd);
  accepting_ = false;
}

void EpollLoop::resume_accepting() {
  if (accepting_ || draining_) return;
  for (int fd : listeners_) {
    if (!watch(fd, EPOLLIN | EPOLLEXCLUSIVE)) add(context_.counters.errors);
  }
  accepting_ = true;
  paused_at_limit_ = false;
  paused_until_ = Deadline::never();
}

void EpollLoop::begin_drain() {
  if (draining_) return;
  unwatch(context_.stop_fd);  // it stays readable: level-triggered, it would fire forever
  pause_accepting(Deadline::never());
  for (int fd : udp_sockets_) unwatch(fd);
  draining_ = true;
  drain_deadline_ = Deadline::after(context_.options.drain_timeout);
}

void EpollLoop::housekeeping() {
  if (draining_ && drain_deadline_.expired()) {
    while (!idle_order_.empty()) close_connection(idle_order_.front(), "closed (drain timeout)");
    return;
  }
  const auto idle_timeout = context_.options.idle_timeout;
  if (idle_timeout.count() > 0) {
    const Clock::time_point now = Clock::now();
    while (!idle_order_.empty()) {
      const Connection& oldest = connections_.at(idle_order_.front());
      if (now < oldest.last_progress + idle_timeout) break;
      close_connection(idle_order_.front(), "closed (idle timeout)");
    }
  }
  if (!accepting_ && !draining_ && paused_until_.expired()) resume_accepting();
}

Deadline EpollLoop::next_wake() const {
  Deadline wake = Deadline::never();
  if (draining_) wake = wake.min(drain_deadline_);
  if (!accepting_ && !draining_) wake = wake.min(paused_until_);
  const auto idle_timeout = context_.options.idle_timeout;
  if (idle_timeout.count() > 0 && !idle_order_.empty()) {
    const Connection& oldest = connections_.at(idle_order_.front());
    wake = wake.min(Deadline::at(oldest.last_progress + idle_timeout));
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
