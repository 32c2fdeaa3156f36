// Between cases the runner asks the target two questions: how far away is it
// (the round-trip time, so distance is never graded as a defect), and does it
// still serve (so a server that died or stopped accepting is named as such,
// and the cases after it are not blamed for it).
//
// Example:
//   std::chrono::microseconds rtt = measure_round_trip(target, Transport::kTcp, 1.0);
//   Health health = check_serving(target, Transport::kTcp, 1.0, rtt);
//   if (!health.served) ... health.evidence ...
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "conformance/model/case.h"
#include "core/address/endpoint.h"

namespace echo::conformance {

struct Health {
  bool served = false;   // a short echo came back whole
  bool refused = false;  // the connection was refused: nothing listens any more
  std::string evidence;  // what happened when not served
};

// One short echo (TCP: a new connection, a line, its echo, a clean close;
// UDP: one datagram), within 1 s × scale + the round trip for each step
// (`quick`: 300 ms × scale + the round trip, to see whether a server that
// stopped is back). When a TCP echo fails, a second connect tells whether the
// server has exited (refused).
[[nodiscard]] Health check_serving(const Endpoint& target, Transport transport,
                                   double timeout_scale, std::chrono::microseconds round_trip,
                                   bool quick = false);

// The median round trip of five short echoes on one connection (TCP) or
// socket (UDP); nullopt when not one echo came back (the target does not
// serve, at least not yet).
[[nodiscard]] std::optional<std::chrono::microseconds> measure_round_trip(const Endpoint& target,
                                                                          Transport transport,
                                                                          double timeout_scale);

}  // namespace echo::conformance
