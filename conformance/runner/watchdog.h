// Running one case under a watchdog. The case runs on its own thread with its
// deadline (info.deadline × timeout_scale) in context.deadline; if it has not
// returned by deadline + grace, the watchdog gives up on it and records a fail
// "case exceeded its deadline". The abandoned thread keeps running, detached,
// until its own I/O deadlines end it: it owns everything it touches (a
// shared_ptr'd copy of its context), so it can outlive the run safely.
#pragma once

#include <chrono>

#include "conformance/model/case.h"

namespace echo::conformance {

// Runs `c` with `context` (whose deadline is replaced by the case's scaled
// deadline, and case_id by its id) and measures it. Exceptions from the case become a fail. Every
// verdict is graded by the case's level (graded() in model/case.h): only a
// required case ever records kFail, whatever the case function returned.
[[nodiscard]] CaseResult run_guarded(const Case& c, const CaseContext& context,
                                     std::chrono::milliseconds grace);

// `duration` × `scale`, at least 1 ms.
[[nodiscard]] std::chrono::milliseconds scale_duration(std::chrono::milliseconds duration,
                                                       double scale);

}  // namespace echo::conformance
