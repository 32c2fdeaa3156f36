#include "tools/bench/worker.h"

#include <sys/epoll.h>
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <type_traits>

#include "tools/bench/flow_receive.h"

namespace echo::bench {
namespace {

constexpr std::int64_t kExpiryPeriodNs = 5'000'000;  // UDP: look for lost datagrams every 5 ms

template <class Flow>
constexpr bool kIsUdp = std::is_same_v<Flow, UdpFlow>;

double thread_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <class Flow>
Worker<Flow>::Worker(const WorkerPlan& plan, std::vector<Flow> flows)
    : plan_(plan),
      flows_(std::move(flows)),
      alive_(flows_.size(), true),
      writing_(flows_.size(), false),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      scratch_(2 * 1024 * 1024) {
  if (plan_.rate > 0) {
    const auto interval = static_cast<std::int64_t>(1e9 / plan_.rate);
    pacer_.emplace(plan_.start_ns, interval > 0 ? interval : 1);
  }
  for (std::size_t i = 0; i < flows_.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, flows_[i].fd(), &event) != 0) alive_[i] = false;
  }
}

template <class Flow>
void Worker<Flow>::run() {
  std::int64_t now = now_ns();
  for (std::size_t i = 0; i < flows_.size() && !pacer_; ++i) refill(i, now);
  while (now < plan_.end_ns) {
    if (!measuring_ && now >= plan_.measure_from_ns) sample_cpu(true);
    if (pacer_) issue_due(now);
    expire_all(now);
    wait_and_dispatch(wake_at(now));
    now = now_ns();
  }
  if (!measuring_) sample_cpu(true);
  sample_cpu(false);
  sending_ = false;
  // UDP: wait for the echoes still in flight, up to the loss timeout.
  const std::int64_t drain_end = now + plan_.udp_timeout_ns;
  auto in_flight = [&] {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < flows_.size(); ++i) total += alive_[i] ? flows_[i].in_flight() : 0;
    return total;
  };
  while (kIsUdp<Flow> && now < drain_end && in_flight() > 0) {
    expire_all(now);
    wait_and_dispatch(std::min(drain_end, now + kExpiryPeriodNs));
    now = now_ns();
  }
  for (const Flow& flow : flows_) stats_.udp.add(flow.udp_counts());
}

template <class Flow>
std::int64_t Worker<Flow>::wake_at(std::int64_t now) const noexcept {
  std::int64_t until = plan_.end_ns;
  if (!measuring_) until = std::min(until, plan_.measure_from_ns);
  if (pacer_ && pacer_->backlog(now) == 0) until = std::min(until, pacer_->next_due_ns());
  if (kIsUdp<Flow>) until = std::min(until, now + kExpiryPeriodNs);
  return until;
}

template <class Flow>
void Worker<Flow>::wait_and_dispatch(std::int64_t until) {
  constexpr int kEvents = 256;
  epoll_event events[kEvents];
  const std::int64_t wait = std::max<std::int64_t>(0, until - now_ns());
  const timespec timeout{static_cast<time_t>(wait / 1'000'000'000),
                         static_cast<long>(wait % 1'000'000'000)};
  const int n = ::epoll_pwait2(epoll_.get(), events, kEvents, &timeout, nullptr);
  if (n <= 0) return;  // timeout, or EINTR
  const std::int64_t now = now_ns();
  for (int i = 0; i < n; ++i) on_event(events[i].data.u64, events[i].events, now);
}

template <class Flow>
void Worker<Flow>::on_event(std::size_t index, std::uint32_t events, std::int64_t now) {
  if (!alive_[index]) return;
  Flow& flow = flows_[index];
  if ((events & EPOLLOUT) != 0) flush(index, now);
  if (!alive_[index] || (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) == 0) return;
  std::uint64_t echoed = 0;
  const bool window = in_window(now);
  IoResult got = flow.receive(scratch_, [&](std::int64_t stamp) {
    ++echoed;
    if (window) stats_.latency.record(latency_ns(stamp, now));
  });
  if (window) {
    stats_.received += echoed;
    stats_.bytes_received += got.bytes;
  }
  live_.messages.fetch_add(echoed, std::memory_order_relaxed);
  live_.bytes_received.fetch_add(got.bytes, std::memory_order_relaxed);
  if (got.state != IoResult::kOk) return fail(index, got.state);
  if (pacer_) return issue_due(now);
  refill(index, now);
}

template <class Flow>
void Worker<Flow>::push(std::size_t index, std::int64_t stamp, std::int64_t now) {
  flows_[index].push(stamp);
  if (in_window(now)) ++stats_.sent;
}

template <class Flow>
void Worker<Flow>::refill(std::size_t index, std::int64_t now) {
  if (!alive_[index]) return;
  Flow& flow = flows_[index];
  while (sending_ && now < plan_.end_ns && flow.can_push())
    push(index, message_stamp({}, now), now);
  flush(index, now);
}

template <class Flow>
void Worker<Flow>::issue_due(std::int64_t now) {
  if (!sending_) return;
  const std::size_t count = flows_.size();
  std::size_t touched_first = count, touched_last = 0;
  while (pacer_->backlog(now) > 0) {
    std::size_t tried = 0;
    while (tried < count && (!alive_[next_flow_] || !flows_[next_flow_].can_push())) {
      next_flow_ = (next_flow_ + 1) % count;
      ++tried;
    }
    if (tried == count) break;  // every window is full: the backlog waits, its stamps kept
    const std::int64_t scheduled = *pacer_->take_due(now);
    push(next_flow_, message_stamp(scheduled, now), now);
    touched_first = std::min(touched_first, next_flow_);
    touched_last = std::max(touched_last, next_flow_);
    next_flow_ = (next_flow_ + 1) % count;
  }
  for (std::size_t i = touched_first; i <= touched_last && i < count; ++i) {
    if (alive_[i] && flows_[i].wants_write()) flush(i, now);
  }
}

template <class Flow>
void Worker<Flow>::flush(std::size_t index, std::int64_t now) {
  Flow& flow = flows_[index];
  IoResult put = flow.flush();
  if (in_window(now)) stats_.bytes_sent += put.bytes;
  live_.bytes_sent.fetch_add(put.bytes, std::memory_order_relaxed);
  if (put.state != IoResult::kOk) return fail(index, put.state);
  if (flow.wants_write() != writing_[index]) watch(index, flow.wants_write());
}

template <class Flow>
void Worker<Flow>::expire_all(std::int64_t now) {
  if (now - last_expiry_ < kExpiryPeriodNs) return;
  last_expiry_ = now;
  for (std::size_t i = 0; i < flows_.size(); ++i) {
    if (alive_[i] && flows_[i].expire(now, plan_.udp_timeout_ns) > 0 && !pacer_) refill(i, now);
  }
}

template <class Flow>
void Worker<Flow>::watch(std::size_t index, bool want_write) {
  epoll_event event{};
  event.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
  event.data.u64 = index;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, flows_[index].fd(), &event);
  writing_[index] = want_write;
}

template <class Flow>
void Worker<Flow>::fail(std::size_t index, IoResult::State state) {
  alive_[index] = false;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, flows_[index].fd(), nullptr);
  (state == IoResult::kVerification ? stats_.verification_errors : stats_.connection_errors)++;
  live_.errors.fetch_add(1, std::memory_order_relaxed);
  if (stats_.first_error.empty()) {
    stats_.first_error =
        "flow " + std::to_string(index) + " of this thread: " + flows_[index].error();
  }
}

template <class Flow>
void Worker<Flow>::sample_cpu(bool at_start) {
  if (at_start) {
    measuring_ = true;
    stats_.cpu_seconds = -thread_cpu_seconds();
    return;
  }
  stats_.cpu_seconds += thread_cpu_seconds();
}

template class Worker<TcpStream>;
template class Worker<UdpFlow>;

}  // namespace echo::bench
