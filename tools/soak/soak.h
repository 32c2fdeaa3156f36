// One soak run: starts the server (or attaches to it), takes the baseline,
// opens the idle connections, runs the load for the duration while sampling
// the server each second, winds down (every client finishes and checks its
// last echo), waits for the server's descriptors to come back, stops the
// server and reads its exit counters, and judges (judge.h).
//
// Everything is bounded: the idle connections get 120 s to open, the wind-down
// 30 s, the descriptors 10 s to come back, the server 30 s to exit.
//
// Example:
//   Result<SoakResult> result = run_soak(options, &std::cerr);
//   std::cout << summary_text(*result);
#pragma once

#include <iosfwd>

#include "core/util/result.h"
#include "tools/soak/options.h"
#include "tools/soak/report.h"

namespace echo::soak {

// An Error when the soak cannot be run at all (the server does not start, too
// few descriptors); otherwise the result, passed or not.
[[nodiscard]] Result<SoakResult> run_soak(const SoakOptions& options, std::ostream* progress);

}  // namespace echo::soak
