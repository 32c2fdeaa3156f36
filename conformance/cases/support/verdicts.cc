#include "conformance/cases/support/verdicts.h"

#include <utility>

namespace echo::conformance {
namespace {

Outcome make(Verdict verdict, std::string evidence, std::string expected, std::string actual) {
  Outcome o;
  o.verdict = verdict;
  o.evidence = std::move(evidence);
  o.expected = std::move(expected);
  o.actual = std::move(actual);
  return o;
}

}  // namespace

Outcome pass(std::string evidence) { return make(Verdict::kPass, std::move(evidence), "", ""); }

Outcome fail(std::string evidence, std::string expected, std::string actual) {
  return make(Verdict::kFail, std::move(evidence), std::move(expected), std::move(actual));
}

Outcome warn(std::string evidence, std::string expected, std::string actual) {
  return make(Verdict::kWarn, std::move(evidence), std::move(expected), std::move(actual));
}

Outcome info(std::vector<Figure> figures, std::string evidence) {
  Outcome o = make(Verdict::kInfo, std::move(evidence), "", "");
  o.figures = std::move(figures);
  return o;
}

Outcome shortfall(Level level, std::string evidence, std::string expected, std::string actual) {
  const Verdict verdict = level == Level::kRequired      ? Verdict::kFail
                          : level == Level::kRecommended ? Verdict::kWarn
                                                         : Verdict::kInfo;
  return make(verdict, std::move(evidence), std::move(expected), std::move(actual));
}

std::chrono::milliseconds scaled(const CaseContext& context, std::chrono::milliseconds base) {
  const double scale = context.timeout_scale > 0 ? context.timeout_scale : 1.0;
  return std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(static_cast<double>(base.count()) * scale));
}

std::chrono::milliseconds reply_wait(const CaseContext& context) {
  return scaled(context, std::chrono::milliseconds(1000));
}

std::chrono::milliseconds connect_wait(const CaseContext& context) {
  return scaled(context, std::chrono::milliseconds(3000));
}

std::chrono::milliseconds stall_wait(const CaseContext& context) {
  return scaled(context, std::chrono::milliseconds(2000));
}

std::chrono::milliseconds quiet_wait(const CaseContext& context) {
  return scaled(context, std::chrono::milliseconds(200));
}

Deadline within(const CaseContext& context, std::chrono::milliseconds wait) {
  return Deadline::after(wait).min(context.deadline);
}

std::string ms_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + " ms";
}

std::string bytes_text(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " byte" : " bytes");
}

}  // namespace echo::conformance
