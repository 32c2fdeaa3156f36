// What the guard is told at start-up: the rules' parameters from the command
// line, and what only the bound sockets and the interfaces know (the server's
// ports, the broadcast addresses). Built once by make_guard_settings()
// (reference/server/guard_setup.h); a default GuardSettings checks nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "reference/server/guard/loop_detector.h"
#include "reference/server/guard/rate_limiter.h"
#include "reference/server/guard/source_policy.h"

namespace echo::server {

struct GuardSettings {
  bool loop_guard = false;  // SourcePolicy and LoopDetector
  SourcePolicyConfig policy;
  LoopDetectorConfig loops;
  RateLimitConfig rate;                         // per source address; per_second 0: none
  bool rate_limit_loopback = false;             // whether loopback sources are rate-limited too
  std::size_t max_connections_per_address = 0;  // TCP; 0: no limit
  std::uint64_t seed = 0;                       // for the tables' hashes
};

}  // namespace echo::server
