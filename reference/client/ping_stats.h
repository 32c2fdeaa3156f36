// PingStats: round-trip times of --ping and their summary, like ping(8):
// min/avg/max and the 99th percentile (nearest rank) of the replies received,
// and the loss as the share of probes that got no reply.
//
// Example:
//   PingStats stats;
//   stats.on_sent(); stats.on_reply(std::chrono::microseconds(142));
//   stats.on_sent();                       // never answered
//   PingSummary s = stats.summary();       // s.loss_percent == 50, s.max_ms == 0.142
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace echo::client {

struct PingSummary {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  double loss_percent = 0;  // 100 * (sent - received) / sent; 0 when nothing was sent
  double min_ms = 0, avg_ms = 0, max_ms = 0, p99_ms = 0;  // 0 when nothing was received
};

class PingStats {
 public:
  void on_sent() noexcept { ++sent_; }
  void on_reply(std::chrono::nanoseconds round_trip);

  [[nodiscard]] PingSummary summary() const;

 private:
  std::uint64_t sent_ = 0;
  std::vector<std::chrono::nanoseconds> round_trips_;
};

// Milliseconds with three decimals, as ping prints them: "0.142".
[[nodiscard]] std::string format_ms(double milliseconds);

// "seq=3 time=0.142 ms"
[[nodiscard]] std::string format_reply_line(std::uint64_t sequence, std::chrono::nanoseconds rtt);

// Two lines, each ending in '\n':
//   "3 probes sent, 3 received, 0.0% loss"
//   "rtt min/avg/max/p99 = 0.081/0.102/0.142/0.142 ms"   (left out when nothing came back)
[[nodiscard]] std::string format_summary(const PingSummary& summary);

}  // namespace echo::client
