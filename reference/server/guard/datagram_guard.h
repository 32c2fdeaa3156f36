// Whether to answer a datagram: the loop guard's fixed rules (source_policy.h),
// the per-address rate limit (rate_limiter.h) and the returned-echo loop
// detector (loop_detector.h), in that order, for DatagramEcho. Each refusal is
// counted by reason in Counters and logged, one line per second at most with
// the number refused since the last line, so a flood cannot flood the log.
//
// One per DatagramEcho (per event loop); not thread-safe.
//
// Example:
//   DatagramGuard guard(settings, counters, &log);
//   if (guard.admit(peer, peer_length, destination, bytes, 1, now)) reply();
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/address/endpoint.h"
#include "reference/server/counters.h"
#include "reference/server/guard/guard_settings.h"
#include "reference/server/guard/loop_detector.h"
#include "reference/server/guard/rate_limiter.h"
#include "reference/server/guard/refusal.h"
#include "reference/server/guard/source_policy.h"
#include "reference/server/log.h"

namespace echo::server {

class DatagramGuard {
 public:
  DatagramGuard(const GuardSettings& settings, Counters& counters, const Logger* log);

  // Whether admit() can refuse anything (if not, callers may skip reading the clock).
  [[nodiscard]] bool active() const noexcept { return settings_.loop_guard || limiter_.enabled(); }

  // The decision alone: the first rule `data` (one datagram, or a GRO burst
  // of `datagrams`) from `peer`, sent to `destination` (empty: unknown),
  // breaks at `now`. Passing the rate limit charges it; passing the loop
  // detector records the datagram as answered.
  [[nodiscard]] Refusal check(const sockaddr* peer, socklen_t peer_length,
                              const Endpoint& destination, std::span<const std::byte> data,
                              std::size_t datagrams, std::chrono::nanoseconds now);

  // check(), and a refusal counted and logged: whether to answer.
  [[nodiscard]] bool admit(const sockaddr* peer, socklen_t peer_length, const Endpoint& destination,
                           std::span<const std::byte> data, std::size_t datagrams,
                           std::chrono::nanoseconds now);

 private:
  void count_and_log(Refusal refusal, const sockaddr* peer, socklen_t peer_length,
                     std::size_t datagrams);

  GuardSettings settings_;
  SourcePolicy policy_;
  LoopDetector loops_;
  SourceRateLimiter limiter_;
  Counters& counters_;
  const Logger* log_;
  RateLimit log_lines_{std::chrono::seconds(1)};
  std::uint64_t unlogged_ = 0;  // refused since the last log line
};

}  // namespace echo::server
