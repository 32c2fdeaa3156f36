#include "conformance/model/case.h"

namespace echo::conformance {

Verdict graded(Level level, Verdict verdict) noexcept {
  const bool shortfall = verdict == Verdict::kFail || verdict == Verdict::kWarn;
  if (!shortfall) return verdict;
  switch (level) {
    case Level::kRequired:
      return verdict;
    case Level::kRecommended:
      return Verdict::kWarn;
    case Level::kInformational:
      return Verdict::kInfo;
  }
  return verdict;
}

const char* to_string(Level level) noexcept {
  switch (level) {
    case Level::kRequired:
      return "required";
    case Level::kRecommended:
      return "recommended";
    case Level::kInformational:
      return "informational";
  }
  return "?";
}

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kWarn:
      return "warn";
    case Verdict::kInfo:
      return "info";
    case Verdict::kSkip:
      return "skip";
  }
  return "?";
}

}  // namespace echo::conformance
