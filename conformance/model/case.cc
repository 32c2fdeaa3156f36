#include "conformance/model/case.h"

namespace echo::conformance {

Verdict grade(Level level, Observation::Kind kind) noexcept {
  using Kind = Observation::Kind;
  switch (kind) {
    case Kind::kMet:
      return Verdict::kPass;
    case Kind::kShortfall:
      if (level == Level::kRequired) return Verdict::kFail;
      return level == Level::kRecommended ? Verdict::kWarn : Verdict::kInfo;
    case Kind::kSlow:
      return level == Level::kInformational ? Verdict::kInfo : Verdict::kWarn;
    case Kind::kMeasured:
      return Verdict::kInfo;
    case Kind::kNotJudged:
      return Verdict::kNotJudged;
    case Kind::kSkipped:
      return Verdict::kSkip;
  }
  return Verdict::kNotJudged;
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
    case Verdict::kNotJudged:
      return "not-judged";
  }
  return "?";
}

const char* to_string(Schedule schedule) noexcept {
  switch (schedule) {
    case Schedule::kShared:
      return "shared";
    case Schedule::kAlone:
      return "alone";
    case Schedule::kHazard:
      return "hazard";
  }
  return "?";
}

const char* to_string(Finding::Severity severity) noexcept {
  switch (severity) {
    case Finding::Severity::kError:
      return "error";
    case Finding::Severity::kWarning:
      return "warning";
    case Finding::Severity::kNote:
      return "note";
  }
  return "?";
}

const char* to_string(StreamEnd end) noexcept {
  switch (end) {
    case StreamEnd::kComplete:
      return "complete";
    case StreamEnd::kWrong:
      return "wrong bytes";
    case StreamEnd::kFin:
      return "FIN";
    case StreamEnd::kReset:
      return "RST";
    case StreamEnd::kStalled:
      return "stalled";
    case StreamEnd::kDeadline:
      return "deadline";
    case StreamEnd::kConnectFailed:
      return "no connection";
    case StreamEnd::kError:
      return "error";
  }
  return "?";
}

const char* to_string(AfterEcho after) noexcept {
  switch (after) {
    case AfterEcho::kNotWatched:
      return "not watched";
    case AfterEcho::kFin:
      return "FIN";
    case AfterEcho::kReset:
      return "RST";
    case AfterEcho::kNothing:
      return "nothing";
    case AfterEcho::kMore:
      return "more bytes";
  }
  return "?";
}

}  // namespace echo::conformance
