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
  out["verdict"] = to_string(result.verdict);
  out["duration_ms"] = result.duration.count();
  out["budget_ms"] = result.budget.count();
  out["evidence"] = valid_utf8(result.observation.evidence);
  out["expected"] = valid_utf8(result.observation.expected);
  out["actual"] = valid_utf8(result.observation.actual);
  out["figures"] = figures_json(result.observation.figures);
  if (!result.diagnosis.empty()) out["diagnosis"] = valid_utf8(result.diagnosis);
  return out;
}

json findings_json(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const Finding& finding : findings) {
    json cases = json::array();
    for (const std::string& id : finding.cases) cases.push_back(valid_utf8(id));
    out.push_back(json{{"id", valid_utf8(finding.id)},
                       {"severity", to_string(finding.severity)},
                       {"title", valid_utf8(finding.title)},
                       {"explanation", valid_utf8(finding.explanation)},
                       {"cases", std::move(cases)}});
  }
  return out;
}

json serving_json(const ServingFacts& serving) {
  json out{{"round_trip_us", serving.round_trip.count()},
           {"served_at_start", serving.served_at_start},
           {"one_client_at_a_time", serving.one_client_at_a_time}};
  if (serving.stop) {
    json running = json::array();
    for (const std::string& id : serving.stop->running) running.push_back(valid_utf8(id));
    out["stopped"] = json{{"after", valid_utf8(serving.stop->stopped_after)},
                          {"running", std::move(running)},
                          {"refused", serving.stop->refused},
                          {"evidence", valid_utf8(serving.stop->evidence)},
                          {"back_before", valid_utf8(serving.stop->back_before)}};
  }
  return out;
}

json summary_json(const TargetReport& target) {
  const VerdictCounts counts = count_verdicts(target);
  return json{{"pass", counts.pass},
              {"fail", counts.fail},
              {"warn", counts.warn},
              {"info", counts.info},
              {"skip", counts.skip},
              {"not_judged", counts.not_judged},
              {"required_failures", counts.required_failures}};
}

json notes_json(const std::vector<std::string>& notes) {
  json out = json::array();
  for (const std::string& note : notes) out.push_back(valid_utf8(note));
  return out;
}

json target_json(const TargetReport& target) {
  json cases = json::array();
  for (const CaseResult& result : target.cases) cases.push_back(case_json(result));
  return json{
      {"target", valid_utf8(target.name)},       {"address", valid_utf8(target.address)},
      {"reference", target.is_reference},        {"summary", summary_json(target)},
      {"serving", serving_json(target.serving)}, {"findings", findings_json(target.findings)},
      {"notes", notes_json(target.notes)},       {"cases", std::move(cases)}};
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
    entry["schedule"] = to_string(info.schedule);
    entry["opt_in"] = info.opt_in;
    out.push_back(std::move(entry));
  }
  return dump(out);
}

}  // namespace echo::conformance::report
