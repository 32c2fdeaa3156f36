#include "conformance/explore/internal/script_run.h"

#include <sys/epoll.h>

#include <algorithm>

namespace echo::conformance::explore::internal {

bool watch(const LoopShared& shared, int fd, Channel* channel) noexcept {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.ptr = channel;
  return ::epoll_ctl(shared.epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

std::chrono::milliseconds quarantine_time(const ExecuteOptions& options) noexcept {
  return std::max<std::chrono::milliseconds>(std::chrono::seconds(1), 2 * options.datagram_wait);
}

ScriptRun::ScriptRun(std::uint64_t id, std::shared_ptr<const Script> script, const Endpoint& target,
                     LoopShared& shared, Time now)
    : id_(id),
      script_(std::move(script)),
      target_(target),
      shared_(shared),
      started_(now),
      deadline_(now + shared.options.deadline) {
  ChannelId channels = 0;
  for (const Step& step : script_->steps) {
    if (step.uses_channel()) channels = std::max(channels, step.channel + 1);
  }
  tcp_.resize(channels);
  udp_.resize(channels);
  expected_.resize(channels);
  datagrams_.assign(channels, 0);
  last_step_.assign(channels, 0);
  for (std::size_t i = 0; i < script_->steps.size(); ++i) {
    const Step& step = script_->steps[i];
    if (!step.uses_channel()) continue;
    last_step_[step.channel] = i;
    if (step.kind == Step::Kind::kConnect)
      expected_[step.channel] = expected_stream(script_, step.channel);
    if (step.kind == Step::Kind::kBurst) datagrams_[step.channel] += step.count;
    if (step.kind == Step::Kind::kSend) datagrams_[step.channel] += 1;
  }
}

void ScriptRun::advance(Time now) {
  if (finished_) return;
  for (auto& c : tcp_) {
    if (c) c->on_time(now);
  }
  for (auto& u : udp_) {
    if (u) u->on_time(now);
  }
  if (now >= deadline_) expire(now);
  const auto& steps = script_->steps;
  while (cursor_ < steps.size()) {
    const Step& step = steps[cursor_];
    if (!step_started_) {
      start_step(step, now);
      step_started_ = true;
    }
    if (!step_done(step, now)) break;
    step_started_ = false;
    ++cursor_;
    passed(step, now);
  }
  finished_ = cursor_ == steps.size() && all_channels_finished();
}

void ScriptRun::start_step(const Step& step, Time now) {
  using K = Step::Kind;
  const ChannelId id = step.channel;
  TcpChannel* tcp = step.uses_channel() ? tcp_[id].get() : nullptr;
  UdpChannel* udp = step.uses_channel() ? udp_[id].get() : nullptr;
  switch (step.kind) {
    case K::kConnect:
      tcp_[id] = std::make_unique<TcpChannel>(id, expected_[id], datagrams_[id] > 1, shared_);
      tcp_[id]->run_id = id_;
      tcp_[id]->connect(target_, now);
      return;
    case K::kSocket:
      udp_[id] = std::make_unique<UdpChannel>(id, datagrams_[id], shared_);
      udp_[id]->run_id = id_;
      udp_[id]->open(target_, now);
      return;
    case K::kSend:
      if (tcp != nullptr) tcp->begin_send(step.payload, now);
      if (udp != nullptr) udp->begin_send(step.payload, 1, now);
      return;
    case K::kBurst:
      if (udp != nullptr) udp->begin_send(step.payload, step.count, now);
      return;
    case K::kPause:
      pause_until_ = now + step.duration;
      return;
    case K::kHold:
      if (tcp != nullptr) tcp->hold(now + step.duration, now);
      return;
    case K::kTrickle:
      if (tcp != nullptr) tcp->trickle(step.count, now + step.duration, now);
      return;
    case K::kShutdown:
      if (tcp != nullptr) tcp->shutdown(now);
      return;
    case K::kClose:
    case K::kReset:
      if (tcp != nullptr) tcp->close(step.kind == K::kReset, now);
      return;
  }
}

bool ScriptRun::step_done(const Step& step, Time now) const {
  if (deadline_passed_) return true;
  if (step.kind == Step::Kind::kPause) return now >= pause_until_;
  if (!step.uses_channel()) return true;
  if (const TcpChannel* tcp = tcp_[step.channel].get()) {
    if (step.kind == Step::Kind::kConnect) return !tcp->connecting();
    if (step.kind == Step::Kind::kSend) return !tcp->sending();
  }
  if (const UdpChannel* udp = udp_[step.channel].get()) return !udp->sending();
  return true;
}

void ScriptRun::passed(const Step& step, Time now) {
  if (!step.uses_channel() || last_step_[step.channel] != cursor_ - 1) return;
  if (tcp_[step.channel]) tcp_[step.channel]->steps_done(now);
  if (udp_[step.channel]) udp_[step.channel]->steps_done(now);
}

void ScriptRun::expire(Time now) {
  deadline_passed_ = true;
  cursor_ = script_->steps.size();  // the steps not run yet never will be
  for (auto& c : tcp_) {
    if (c) c->expire(now);
  }
  for (auto& u : udp_) {
    if (u) u->expire(now);
  }
}

bool ScriptRun::all_channels_finished() const noexcept {
  const bool tcp =
      std::all_of(tcp_.begin(), tcp_.end(), [](const auto& c) { return !c || c->finished(); });
  const bool udp =
      std::all_of(udp_.begin(), udp_.end(), [](const auto& u) { return !u || u->finished(); });
  return tcp && udp;
}

Time ScriptRun::next_wake() const noexcept {
  if (finished_) return kNever;
  Time wake = deadline_;
  if (cursor_ < script_->steps.size() && script_->steps[cursor_].kind == Step::Kind::kPause) {
    wake = std::min(wake, pause_until_);
  }
  for (const auto& c : tcp_) {
    if (c) wake = std::min(wake, c->next_wake());
  }
  for (const auto& u : udp_) {
    if (u) wake = std::min(wake, u->next_wake());
  }
  return wake;
}

ScriptRecord ScriptRun::take_record() {
  ScriptRecord record;
  record.deadline_passed = deadline_passed_;
  for (auto& c : tcp_) {
    if (c) record.streams.push_back(c->take_record());
  }
  for (auto& u : udp_) {
    if (u) record.datagrams.push_back(u->take_record());
  }
  record.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
  return record;
}

}  // namespace echo::conformance::explore::internal
