// Running one case under a watchdog. The case runs on its own thread with its
// deadline in context.deadline: info.deadline × timeout_scale, plus
// info.round_trips × the target's round-trip time. If it has not returned by
// deadline + grace, the watchdog gives up on it and records a shortfall "case
// exceeded its deadline". The abandoned thread keeps running, detached, until
// its own I/O deadlines end it: it owns everything it touches (a shared_ptr'd
// copy of its context), so it can outlive the run safely.
#pragma once

#include <chrono>

#include "conformance/model/case.h"

namespace echo::conformance {

// Runs `c` with `context` (whose deadline is replaced by the case's budget,
// and case_id by its id), measures it and grades its observation by the
// case's level (grade() in model/case.h). An exception from the case becomes
// a shortfall.
[[nodiscard]] CaseResult run_guarded(const Case& c, const CaseContext& context,
                                     std::chrono::milliseconds grace);

// The case's budget: its deadline × scale, plus its round trips × round_trip.
[[nodiscard]] std::chrono::milliseconds case_budget(const CaseInfo& info, double scale,
                                                    std::chrono::microseconds round_trip);

// `duration` × `scale`, at least 1 ms.
[[nodiscard]] std::chrono::milliseconds scale_duration(std::chrono::milliseconds duration,
                                                       double scale);

}  // namespace echo::conformance
