#include "conformance/findings/diagnose.h"

#include <algorithm>

#include "conformance/findings/internal/diagnosis.h"

namespace echo::conformance {
namespace internal {

const CaseResult* Diagnosis::find(std::string_view id) const noexcept {
  for (const CaseResult& result : report_.cases) {
    if (result.info.id == id) return &result;
  }
  return nullptr;
}

bool Diagnosis::passed(std::string_view id) const noexcept {
  const CaseResult* result = find(id);
  return result != nullptr && result->verdict == Verdict::kPass;
}

bool Diagnosis::fell_short(std::string_view id) const noexcept {
  const CaseResult* result = find(id);
  return result != nullptr && result->verdict != Verdict::kPass &&
         result->verdict != Verdict::kSkip && result->verdict != Verdict::kInfo;
}

std::vector<const CaseResult*> Diagnosis::open(std::optional<Transport> transport) const {
  std::vector<const CaseResult*> out;
  for (const CaseResult& result : report_.cases) {
    if (explained(result) || (transport && result.info.transport != *transport)) continue;
    const bool open_verdict = result.verdict == Verdict::kFail ||
                              result.verdict == Verdict::kWarn ||
                              result.verdict == Verdict::kNotJudged;
    // A measurement that got nothing to measure says something too.
    const bool empty_measurement =
        result.verdict == Verdict::kInfo && !result.observation.evidence.empty();
    if (open_verdict || empty_measurement) out.push_back(&result);
  }
  return out;
}

void Diagnosis::add(const FindingKind& kind, std::string title, std::string explanation,
                    const std::vector<const CaseResult*>& cases) {
  Finding finding;
  finding.id = std::string(kind.id);
  finding.title = std::move(title);
  finding.explanation = std::move(explanation);
  finding.severity = Finding::Severity::kNote;
  for (CaseResult& result : report_.cases) {
    const bool claimed = std::find(cases.begin(), cases.end(), &result) != cases.end();
    if (!claimed || explained(result)) continue;
    result.diagnosis = finding.id;
    finding.cases.push_back(result.info.id);
    if (result.verdict == Verdict::kFail) {
      finding.severity = Finding::Severity::kError;
    } else if (result.verdict == Verdict::kWarn && finding.severity == Finding::Severity::kNote) {
      finding.severity = Finding::Severity::kWarning;
    }
  }
  if (finding.cases.empty()) return;
  report_.findings.push_back(std::move(finding));
}

void Diagnosis::add(std::string_view kind_id, std::string title, std::string explanation,
                    const std::vector<const CaseResult*>& cases) {
  const FindingKind* kind = find_kind(kind_id);
  if (kind == nullptr) return;
  add(*kind, std::move(title), std::move(explanation), cases);
}

std::optional<double> figure(const CaseResult& result, std::string_view name) {
  for (const Figure& f : result.observation.figures) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

std::string where(const CaseResult& result, const StreamTrace& trace) {
  if (trace.label.empty() || trace.label == "the echo" || trace.label == "the echoed stream") {
    return result.info.id;
  }
  return result.info.id + " (" + trace.label + ")";
}

}  // namespace internal

void diagnose(TargetReport& report) {
  report.findings.clear();
  for (CaseResult& result : report.cases) result.diagnosis.clear();
  internal::Diagnosis d(report);
  internal::serving_rules(d);
  internal::silence_rules(d);
  internal::content_rules(d);
  internal::stream_rules(d);
  internal::datagram_rules(d);
  internal::leftover_rules(d);
  // Errors first, then warnings, then notes; within each, the order found.
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
}

}  // namespace echo::conformance
