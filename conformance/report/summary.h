// Counting verdicts, shared by every report format and by the exit code.
//
// Example:
//   VerdictCounts counts = count_verdicts(report.targets[0]);
//   if (counts.required_failures > 0) return 1;
#pragma once

#include <chrono>
#include <string>

#include "conformance/model/case.h"

namespace echo::conformance::report {

struct VerdictCounts {
  int pass = 0;
  int fail = 0;  // required and recommended cases together
  int warn = 0;
  int info = 0;
  int skip = 0;
  int not_judged = 0;
  int required_failures = 0;              // the failures that make a run fail (exit code 1)
  std::chrono::milliseconds duration{0};  // the sum of the cases' durations

  [[nodiscard]] int total() const noexcept { return pass + fail + warn + info + skip + not_judged; }
};

[[nodiscard]] VerdictCounts count_verdicts(const TargetReport& target);

// The verdict of case `id` on `target`, or nullptr when it was not run there.
[[nodiscard]] const CaseResult* find_case(const TargetReport& target, const std::string& id);

// The reference target of a report (TargetReport::is_reference), or nullptr.
[[nodiscard]] const TargetReport* reference_target(const RunReport& report);

// "12 ms" below ten seconds, "12.3 s" from there on.
[[nodiscard]] std::string format_duration(std::chrono::milliseconds duration);

}  // namespace echo::conformance::report
