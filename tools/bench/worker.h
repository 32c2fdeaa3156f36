// Worker: one thread's share of the load. It owns its flows (TCP connections
// or UDP sockets) and one epoll set, and runs until the end of the run:
//   closed loop: each flow keeps `window` messages in flight; an echo that
//                is verified is replaced at once (ping-pong when window is 1);
//   open loop (rate > 0): a Pacer schedules this thread's share of --rate,
//                round-robin over its flows; stamps are the scheduled times.
// Only what happens between measure_from_ns and end_ns is counted in
// ThreadStats' window figures. UDP flows then drain for up to the timeout.
//
// Example:
//   Worker<TcpStream> worker(plan, std::move(streams));
//   std::thread thread([&] { worker.run(); });
//   ... worker.live().messages.load() ...
//   thread.join();  const ThreadStats& stats = worker.stats();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/net/fd.h"
#include "tools/bench/flow.h"
#include "tools/bench/pacer.h"
#include "tools/bench/stats.h"

namespace echo::bench {

struct WorkerPlan {
  std::int64_t start_ns = 0;         // steady clock
  std::int64_t measure_from_ns = 0;  // end of the warm-up
  std::int64_t end_ns = 0;
  double rate = 0;  // this thread's messages/s; 0: closed loop
  std::int64_t udp_timeout_ns = 250'000'000;
};

template <class Flow>
class Worker {
 public:
  Worker(const WorkerPlan& plan, std::vector<Flow> flows);

  void run();
  [[nodiscard]] const ThreadStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const LiveCounters& live() const noexcept { return live_; }

 private:
  void refill(std::size_t index, std::int64_t now);
  void issue_due(std::int64_t now);
  void on_event(std::size_t index, std::uint32_t events, std::int64_t now);
  void flush(std::size_t index, std::int64_t now);
  void expire_all(std::int64_t now);
  void push(std::size_t index, std::int64_t stamp, std::int64_t now);
  void fail(std::size_t index, IoResult::State state);
  void watch(std::size_t index, bool want_write);
  void sample_cpu(bool at_start);
  [[nodiscard]] bool in_window(std::int64_t now) const noexcept {
    return now >= plan_.measure_from_ns && now < plan_.end_ns;
  }
  [[nodiscard]] std::int64_t wake_at(std::int64_t now) const noexcept;
  void wait_and_dispatch(std::int64_t until);

  WorkerPlan plan_;
  std::vector<Flow> flows_;
  std::vector<bool> alive_;
  std::vector<bool> writing_;  // EPOLLOUT is in the interest set
  Fd epoll_;
  std::optional<Pacer> pacer_;
  std::size_t next_flow_ = 0;  // open loop: round-robin position
  std::vector<std::byte> scratch_;
  bool sending_ = true;  // false once the run's end is reached
  bool measuring_ = false;
  std::int64_t last_expiry_ = 0;
  ThreadStats stats_;
  LiveCounters live_;
};

[[nodiscard]] std::int64_t now_ns() noexcept;

}  // namespace echo::bench
