#include "conformance/explore/executor.h"

#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <queue>
#include <unordered_map>

#include "conformance/explore/internal/script_run.h"
#include "core/net/fd.h"

namespace echo::conformance::explore {

using internal::Clock;
using internal::Time;

ExecuteOptions scaled(ExecuteOptions o, double scale) {
  const auto by = [scale](std::chrono::milliseconds d) {
    return std::chrono::milliseconds(
        std::max<long long>(1, static_cast<long long>(static_cast<double>(d.count()) * scale)));
  };
  o.stall_wait = by(o.stall_wait);
  o.mismatch_wait = by(o.mismatch_wait);
  o.close_wait = by(o.close_wait);
  o.datagram_wait = by(o.datagram_wait);
  o.deadline = by(o.deadline);
  return o;
}

class Executor::Loop {
 public:
  explicit Loop(ExecuteOptions options) {
    shared_.options = options;
    epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
    shared_.epoll_fd = epoll_.get();
  }

  void start(std::shared_ptr<const Script> script, Done done, const Endpoint& target) {
    const Time now = Clock::now();
    const std::uint64_t id = next_id_++;
    auto run = std::make_unique<internal::ScriptRun>(id, std::move(script), target, shared_, now);
    Entry& entry = runs_[id];
    entry.run = std::move(run);
    entry.done = std::move(done);
    touch(id);
    settle(now);
  }

  void poll(std::chrono::milliseconds timeout) {
    Time now = Clock::now();
    int wait_ms = static_cast<int>(timeout.count());
    if (!timers_.empty()) {
      const auto until = std::chrono::ceil<std::chrono::milliseconds>(timers_.top().when - now);
      wait_ms = static_cast<int>(std::clamp<long long>(until.count(), 0, wait_ms));
    }
    epoll_event events[256];
    const int n = ::epoll_wait(epoll_.get(), events, 256, wait_ms);
    now = Clock::now();
    for (int i = 0; i < n; ++i) {
      auto* channel = static_cast<internal::Channel*>(events[i].data.ptr);
      auto it = runs_.find(channel->run_id);
      if (it == runs_.end() || it->second.run->finished()) continue;
      channel->on_events(events[i].events, now);
      touch(channel->run_id);
    }
    while (!timers_.empty() && timers_.top().when <= now) {
      const Timer timer = timers_.top();
      timers_.pop();
      auto it = runs_.find(timer.run);
      if (it != runs_.end() && it->second.wake == timer.when) {
        it->second.wake = internal::kNever;
        touch(timer.run);
      }
    }
    settle(now);
  }

  [[nodiscard]] std::size_t running() const noexcept { return runs_.size(); }
  [[nodiscard]] const ExecuteOptions& options() const noexcept { return shared_.options; }

 private:
  struct Entry {
    std::unique_ptr<internal::ScriptRun> run;
    Done done;
    Time wake = internal::kNever;  // the timer scheduled for it
    bool touched = false;
  };
  struct Timer {
    Time when;
    std::uint64_t run;
    bool operator>(const Timer& other) const noexcept { return when > other.when; }
  };

  void touch(std::uint64_t id) {
    Entry& entry = runs_[id];
    if (entry.touched) return;
    entry.touched = true;
    touched_.push_back(id);
  }

  // Advances every run that had an event or a timer; reports and removes the
  // finished ones (after the whole batch, so that no event of this batch
  // reaches a destroyed channel, and `done` may start new scripts).
  void settle(Time now) {
    std::vector<std::uint64_t> finished;
    for (std::uint64_t id : touched_) {
      Entry& entry = runs_[id];
      entry.touched = false;
      entry.run->advance(now);
      if (entry.run->finished()) {
        finished.push_back(id);
        continue;
      }
      const Time wake = entry.run->next_wake();
      if (wake != entry.wake && wake != internal::kNever) {
        entry.wake = wake;
        timers_.push(Timer{wake, id});
      }
    }
    touched_.clear();
    for (std::uint64_t id : finished) {
      auto node = runs_.extract(id);
      Entry& entry = node.mapped();
      Done done = std::move(entry.done);
      ScriptRecord record = entry.run->take_record();
      entry.run.reset();
      if (done) done(std::move(record));
    }
    const auto keep = internal::quarantine_time(shared_.options);
    while (!shared_.quarantine.empty() && now - shared_.quarantine.front().first >= keep) {
      shared_.quarantine.pop_front();
    }
  }

  internal::LoopShared shared_;
  Fd epoll_;
  std::unordered_map<std::uint64_t, Entry> runs_;
  std::vector<std::uint64_t> touched_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t next_id_ = 1;
};

Executor::Executor(ExecuteOptions options) : loop_(std::make_unique<Loop>(options)) {}
Executor::~Executor() = default;

void Executor::start(std::shared_ptr<const Script> script, Done done) {
  loop_->start(std::move(script), std::move(done), loop_->options().target);
}

void Executor::start(std::shared_ptr<const Script> script, Done done, const Endpoint& target) {
  loop_->start(std::move(script), std::move(done), target);
}

void Executor::poll(std::chrono::milliseconds timeout) { loop_->poll(timeout); }
std::size_t Executor::running() const noexcept { return loop_->running(); }
const ExecuteOptions& Executor::options() const noexcept { return loop_->options(); }

ScriptRecord run_script(const Script& script, const ExecuteOptions& options) {
  return std::move(run_scripts(std::span(&script, 1), options, 1).front());
}

std::vector<ScriptRecord> run_scripts(std::span<const Script> scripts,
                                      const ExecuteOptions& options, std::size_t at_once) {
  std::vector<ScriptRecord> records(scripts.size());
  Executor executor(options);
  std::size_t next = 0;
  const auto start_more = [&](auto& self) -> void {
    while (next < scripts.size() && executor.running() < std::max<std::size_t>(at_once, 1)) {
      const std::size_t index = next++;
      executor.start(std::make_shared<const Script>(scripts[index]),
                     [&records, index, &self](ScriptRecord record) {
                       records[index] = std::move(record);
                       self(self);
                     });
    }
  };
  start_more(start_more);
  while (executor.running() > 0) executor.poll(std::chrono::milliseconds(1000));
  return records;
}

}  // namespace echo::conformance::explore
