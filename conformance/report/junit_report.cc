#include "conformance/report/junit_report.h"

#include <cstdio>
#include <sstream>

#include "conformance/report/escape.h"
#include "conformance/report/summary.h"

namespace echo::conformance::report {
namespace {

std::string seconds(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

std::string figures_text(const std::vector<Figure>& figures) {
  std::ostringstream out;
  for (const Figure& figure : figures) {
    out << figure.name << " = " << figure.value << (figure.unit.empty() ? "" : " ") << figure.unit
        << '\n';
  }
  return out.str();
}

// "[nul-cut: data is cut at the first NUL byte] " for a case a finding explains.
std::string finding_prefix(const TargetReport& target, const CaseResult& result) {
  if (result.diagnosis.empty()) return "";
  for (const Finding& finding : target.findings) {
    if (finding.id == result.diagnosis) return "[" + finding.id + ": " + finding.title + "] ";
  }
  return "[" + result.diagnosis + "] ";
}

std::string failure_message(const Observation& outcome) {
  if (!outcome.evidence.empty()) return first_line(outcome.evidence, 200);
  return "expected " + outcome.expected + ", actual " + outcome.actual;
}

void write_case(std::ostream& out, const TargetReport& target, const CaseResult& result) {
  const Observation& outcome = result.observation;
  const std::string finding = finding_prefix(target, result);
  out << "    <testcase classname=\"" << markup_attribute(target.name) << "\" name=\""
      << markup_attribute(result.info.id) << "\" time=\"" << seconds(result.duration) << "\"";
  switch (result.verdict) {
    case Verdict::kPass:
      out << "/>\n";
      return;
    case Verdict::kFail:
      out << ">\n      <failure message=\"" << markup_attribute(finding + failure_message(outcome))
          << "\" type=\"" << to_string(result.info.level) << "\">"
          << markup_text((finding.empty() ? "" : "Finding: " + finding + "\n") + "Expected: " +
                         outcome.expected + "\nActual: " + outcome.actual + "\n" + outcome.evidence)
          << "</failure>\n";
      break;
    case Verdict::kWarn:
      out << ">\n      <system-out>" << markup_text(finding + "warning: " + outcome.evidence)
          << "</system-out>\n";
      break;
    case Verdict::kNotJudged:
      out << ">\n      <skipped message=\""
          << markup_attribute(finding + "not judged: " + outcome.evidence) << "\"/>\n";
      break;
    case Verdict::kInfo:
      out << ">\n      <system-out>"
          << markup_text(figures_text(outcome.figures) + outcome.evidence) << "</system-out>\n";
      break;
    case Verdict::kSkip:
      out << ">\n      <skipped message=\"" << markup_attribute(outcome.evidence) << "\"/>\n";
      break;
  }
  out << "    </testcase>\n";
}

void write_property(std::ostream& out, const char* name, const std::string& value) {
  out << "      <property name=\"" << name << "\" value=\"" << markup_attribute(value) << "\"/>\n";
}

void write_suite(std::ostream& out, const RunReport& report, const TargetReport& target) {
  const VerdictCounts counts = count_verdicts(target);
  out << "  <testsuite name=\"" << markup_attribute(target.name) << "\" tests=\"" << counts.total()
      << "\" failures=\"" << counts.fail << "\" errors=\"0\" skipped=\""
      << counts.skip + counts.not_judged << "\" time=\"" << seconds(counts.duration)
      << "\" timestamp=\"" << markup_attribute(report.started_at) << "\">\n    <properties>\n";
  write_property(out, "seed", std::to_string(report.seed));
  write_property(out, "address", target.address);
  write_property(out, "reference", target.is_reference ? "true" : "false");
  std::ostringstream scale;
  scale << report.timeout_scale;
  write_property(out, "timeout_scale", scale.str());
  out << "    </properties>\n";
  for (const CaseResult& result : target.cases) write_case(out, target, result);
  if (!target.notes.empty() || !target.findings.empty()) {
    std::string notes;
    for (const Finding& finding : target.findings) {
      notes += std::string(to_string(finding.severity)) + "[" + finding.id + "]: " + finding.title +
               "\n  " + finding.explanation + "\n";
    }
    for (const std::string& note : target.notes) notes += "note: " + note + "\n";
    out << "    <system-out>" << markup_text(notes) << "</system-out>\n";
  }
  out << "  </testsuite>\n";
}

}  // namespace

std::string render_junit(const RunReport& report) {
  VerdictCounts all;
  for (const TargetReport& target : report.targets) {
    const VerdictCounts counts = count_verdicts(target);
    all.pass += counts.pass, all.fail += counts.fail, all.warn += counts.warn;
    all.info += counts.info, all.skip += counts.skip, all.duration += counts.duration;
    all.not_judged += counts.not_judged;
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"echo-conformance\" tests=\"" << all.total() << "\" failures=\""
      << all.fail << "\" errors=\"0\" skipped=\"" << all.skip + all.not_judged << "\" time=\""
      << seconds(all.duration) << "\">\n";
  for (const TargetReport& target : report.targets) write_suite(out, report, target);
  out << "</testsuites>\n";
  return out.str();
}

}  // namespace echo::conformance::report
