// Whether a target serves a second client while a first one is connected.
// Against a server that serves one client at a time, cases run in parallel
// would wait for each other and fail falsely, so the runner runs them one by one.
#pragma once

#include "core/address/endpoint.h"

namespace echo::conformance {

enum class ServingModel {
  kConcurrent,  // a second client was echoed while the first was connected
  kOneAtATime,  // the second client was echoed only after the first left
  kUnknown,     // no echo at all (or no TCP service): parallel runs lose nothing
};

// Takes about a millisecond against a concurrent server and at most
// 2 × 500 ms × timeout_scale otherwise.
[[nodiscard]] ServingModel probe_serving_model(const Endpoint& target, double timeout_scale);

}  // namespace echo::conformance
