// The working state of diagnose() that the rules share: the target's results,
// which of them a finding already explains, and how a finding is recorded.
// Internal to conformance/findings.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/findings/kinds.h"
#include "conformance/findings/stream_symptom.h"
#include "conformance/model/case.h"

namespace echo::conformance::internal {

class Diagnosis {
 public:
  explicit Diagnosis(TargetReport& report) : report_(report) {}

  [[nodiscard]] const TargetReport& report() const noexcept { return report_; }
  [[nodiscard]] const ServingFacts& serving() const noexcept { return report_.serving; }

  // The result of case `id`, or nullptr when it was not run.
  [[nodiscard]] const CaseResult* find(std::string_view id) const noexcept;
  // Case `id` ran and passed (a control: the behaviour works without the trigger).
  [[nodiscard]] bool passed(std::string_view id) const noexcept;
  // Case `id` ran and did not pass.
  [[nodiscard]] bool fell_short(std::string_view id) const noexcept;

  // The results no finding explains yet that did not pass (fail, warn, not
  // judged, or a measurement with no reply), optionally of one transport.
  [[nodiscard]] std::vector<const CaseResult*> open(
      std::optional<Transport> transport = std::nullopt) const;

  // Records a finding of `kind` that explains the cases `cases` (their ids;
  // those already explained are left to the earlier finding). Its severity
  // follows the gravest verdict among them. Does nothing when `cases` is empty.
  void add(const FindingKind& kind, std::string title, std::string explanation,
           const std::vector<const CaseResult*>& cases);
  void add(std::string_view kind_id, std::string title, std::string explanation,
           const std::vector<const CaseResult*>& cases);

  [[nodiscard]] bool explained(const CaseResult& result) const noexcept {
    return !result.diagnosis.empty();
  }

 private:
  TargetReport& report_;
};

// Every stream trace of `result`.
[[nodiscard]] inline const std::vector<StreamTrace>& streams(const CaseResult& result) {
  return result.observation.streams;
}

// The value of figure `name` in `result`, if it has one.
[[nodiscard]] std::optional<double> figure(const CaseResult& result, std::string_view name);

// "tcp.echo.binary: " + the trace's label when it is not the plain echo.
[[nodiscard]] std::string where(const CaseResult& result, const StreamTrace& trace);

// The rule groups, in the order diagnose() applies them.
void serving_rules(Diagnosis& d);       // limits, one client at a time, stopped (rules_serving.cc)
void silence_rules(Diagnosis& d);       // no echo at all, waits for EOF, floods (rules_silence.cc)
void content_rules(Diagnosis& d);       // what is wrong with the bytes (rules_content.cc)
void stream_rules(Diagnosis& d);        // cuts, half-close, slowness (rules_stream.cc)
void datagram_rules(Diagnosis& d);      // UDP (rules_datagram.cc)
void leftover_rules(Diagnosis& d);      // what one trace shows, for the rest (rules_stream.cc)

}  // namespace echo::conformance::internal
