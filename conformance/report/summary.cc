#include "conformance/report/summary.h"

#include <cstdio>

namespace echo::conformance::report {

VerdictCounts count_verdicts(const TargetReport& target) {
  VerdictCounts counts;
  for (const CaseResult& result : target.cases) {
    counts.duration += result.duration;
    switch (result.verdict) {
      case Verdict::kPass:
        ++counts.pass;
        break;
      case Verdict::kFail:
        ++counts.fail;
        if (result.info.level == Level::kRequired) ++counts.required_failures;
        break;
      case Verdict::kWarn:
        ++counts.warn;
        break;
      case Verdict::kInfo:
        ++counts.info;
        break;
      case Verdict::kSkip:
        ++counts.skip;
        break;
      case Verdict::kNotJudged:
        ++counts.not_judged;
        break;
    }
  }
  return counts;
}

const CaseResult* find_case(const TargetReport& target, const std::string& id) {
  for (const CaseResult& result : target.cases) {
    if (result.info.id == id) return &result;
  }
  return nullptr;
}

const TargetReport* reference_target(const RunReport& report) {
  for (const TargetReport& target : report.targets) {
    if (target.is_reference) return &target;
  }
  return nullptr;
}

std::string format_duration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 10'000) return std::to_string(ms) + " ms";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
  return text;
}

}  // namespace echo::conformance::report
