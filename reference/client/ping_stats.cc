#include "reference/client/ping_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace echo::client {
namespace {

double to_ms(std::chrono::nanoseconds d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

void PingStats::on_reply(std::chrono::nanoseconds round_trip) {
  round_trips_.push_back(round_trip);
}

PingSummary PingStats::summary() const {
  PingSummary s;
  s.sent = sent_;
  s.received = round_trips_.size();
  if (s.sent > 0 && s.received < s.sent) {
    s.loss_percent = 100.0 * static_cast<double>(s.sent - s.received) / static_cast<double>(s.sent);
  }
  if (round_trips_.empty()) return s;
  std::vector<std::chrono::nanoseconds> sorted = round_trips_;
  std::sort(sorted.begin(), sorted.end());
  std::chrono::nanoseconds total{0};
  for (auto rtt : sorted) total += rtt;
  s.min_ms = to_ms(sorted.front());
  s.max_ms = to_ms(sorted.back());
  s.avg_ms = to_ms(total) / static_cast<double>(sorted.size());
  // Nearest rank: the smallest value with at least 99% of the values at or below it.
  auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(sorted.size())));
  s.p99_ms = to_ms(sorted[std::max<std::size_t>(rank, 1) - 1]);
  return s;
}

std::string format_ms(double milliseconds) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", milliseconds);
  return text;
}

std::string format_reply_line(std::uint64_t sequence, std::chrono::nanoseconds rtt) {
  return "seq=" + std::to_string(sequence) + " time=" + format_ms(to_ms(rtt)) + " ms";
}

std::string format_summary(const PingSummary& s) {
  char loss[32];
  std::snprintf(loss, sizeof loss, "%.1f", s.loss_percent);
  std::string text = std::to_string(s.sent) + " probes sent, " + std::to_string(s.received) +
                     " received, " + loss + "% loss\n";
  if (s.received == 0) return text;
  return text + "rtt min/avg/max/p99 = " + format_ms(s.min_ms) + "/" + format_ms(s.avg_ms) + "/" +
         format_ms(s.max_ms) + "/" + format_ms(s.p99_ms) + " ms\n";
}

}  // namespace echo::client
