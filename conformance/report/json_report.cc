#include "conformance/report/json_report.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "conformance/report/escape.h"
#include "conformance/report/summary.h"

namespace echo::conformance::report {
namespace {

using nlohmann::json;

json describe(const CaseInfo& info) {
  return json{
      {"id", valid_utf8(info.id)},         {"title", valid_utf8(info.title)},
      {"level", to_string(info.level)},    {"transport", to_string(info.transport)},
      {"source", valid_utf8(info.source)}, {"requirement", valid_utf8(info.requirement)},
  };
}

json figures_json(const std::vector<Figure>& figures) {
  json out = json::array();
  for (const Figure& figure : figures) {
    json value = std::isfinite(figure.value) ? json(figure.value) : json(nullptr);
    out.push_back(json{{"name", valid_utf8(figure.name)},
                       {"value", std::move(value)},
                       {"unit", valid_utf8(figure.unit)}});
  }
  return out;
}

json case_json(const CaseResult& result) {
  json out = describe(result.info);
  out["verdict"] = to_string(result.outcome.verdict);
  out["duration_ms"] = result.duration.count();
  out["evidence"] = valid_utf8(result.outcome.evidence);
  out["expected"] = valid_utf8(result.outcome.expected);
  out["actual"] = valid_utf8(result.outcome.actual);
  out["figures"] = figures_json(result.outcome.figures);
  return out;
}

json summary_json(const TargetReport& target) {
  const VerdictCounts counts = count_verdicts(target);
  return json{{"pass", counts.pass}, {"fail", counts.fail},
              {"warn", counts.warn}, {"info", counts.info},
              {"skip", counts.skip}, {"required_failures", counts.required_failures}};
}

json notes_json(const std::vector<std::string>& notes) {
  json out = json::array();
  for (const std::string& note : notes) out.push_back(valid_utf8(note));
  return out;
}

json target_json(const TargetReport& target) {
  json cases = json::array();
  for (const CaseResult& result : target.cases) cases.push_back(case_json(result));
  return json{{"target", valid_utf8(target.name)}, {"address", valid_utf8(target.address)},
              {"reference", target.is_reference},  {"summary", summary_json(target)},
              {"notes", notes_json(target.notes)}, {"cases", std::move(cases)}};
}

// Strings are already valid UTF-8; `replace` is a second guard so that dump() can never throw.
std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string render_json(const RunReport& report) {
  json targets = json::array();
  for (const TargetReport& target : report.targets) targets.push_back(target_json(target));
  json out{{"format", "echo-conformance-report"},
           {"format_version", kJsonFormatVersion},
           {"seed", report.seed},
           {"started_at", valid_utf8(report.started_at)},
           {"timeout_scale", report.timeout_scale},
           {"targets", std::move(targets)}};
  return dump(out);
}

std::string render_catalogue_json(const std::vector<CaseInfo>& cases) {
  json out = json::array();
  for (const CaseInfo& info : cases) {
    json entry = describe(info);
    entry["deadline_ms"] = info.deadline.count();
    out.push_back(std::move(entry));
  }
  return dump(out);
}

}  // namespace echo::conformance::report
