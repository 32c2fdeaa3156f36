#include "conformance/explore/fuzz_report.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "conformance/explore/evidence.h"
#include "conformance/explore/script_text.h"
#include "conformance/findings/kinds.h"
#include "conformance/oracle/hex.h"
#include "conformance/report/escape.h"

namespace echo::conformance::explore {
namespace {

using nlohmann::json;
using report::markup_text;
using report::valid_utf8;

constexpr std::size_t kDatagramsInJson = 64;

double seconds(std::chrono::milliseconds d) { return std::chrono::duration<double>(d).count(); }

json finite(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

std::string title_of(const std::string& finding) {
  if (const FindingKind* kind = find_kind(finding)) return std::string(kind->title);
  return "";
}

json stream_json(const StreamTrace& t) {
  json out{{"sent", t.sent},
           {"expected", t.expected},
           {"received", t.received},
           {"verified", t.verified},
           {"extra", t.extra},
           {"end", to_string(t.end)},
           {"after", to_string(t.after)},
           {"client_shut_down", t.client_shut_down},
           {"mismatch", t.mismatch ? json(*t.mismatch) : json(nullptr)},
           {"skipped", t.skipped},
           {"inserted", t.inserted},
           {"window_start", t.window_start},
           {"expected_window", hex_excerpt(t.expected_window, kNoMark, 1024)},
           {"received_window", hex_excerpt(t.received_window, kNoMark, 1024)},
           {"expected_head", hex_excerpt(t.expected_head, kNoMark, 1024)},
           {"received_head", hex_excerpt(t.received_head, kNoMark, 1024)},
           {"elapsed_ms", t.elapsed.count()}};
  return out;
}

json datagrams_json(const DatagramTrace& t) {
  json sent = json::array();
  for (std::size_t i = 0; i < t.sent.size() && i < kDatagramsInJson; ++i) {
    sent.push_back(json{{"size", t.sent[i].size()}, {"head", hex_excerpt(t.sent[i], kNoMark, 32)}});
  }
  json replies = json::array();
  for (std::size_t i = 0; i < t.replies.size() && i < kDatagramsInJson; ++i) {
    const auto& r = t.replies[i];
    replies.push_back(json{{"size", r.data.size()},
                           {"head", hex_excerpt(r.data, kNoMark, 32)},
                           {"from_target", r.from_target}});
  }
  return json{{"sent_count", t.sent.size()},
              {"reply_count", t.replies.size()},
              {"sent", std::move(sent)},
              {"replies", std::move(replies)}};
}

json channels_json(const Outcome& outcome) {
  json out = json::array();
  for (const ChannelFailure& f : outcome.verdict.failures) {
    json channel{{"channel", valid_utf8(f.channel)},
                 {"finding", valid_utf8(f.finding)},
                 {"detail", valid_utf8(f.detail)}};
    if (f.stream) channel["stream"] = stream_json(*f.stream);
    if (f.datagrams) channel["datagrams"] = datagrams_json(*f.datagrams);
    out.push_back(std::move(channel));
  }
  return out;
}

json failure_json(const FuzzFailure& f) {
  json finding{{"id", valid_utf8(f.signature.finding)},
               {"title", valid_utf8(title_of(f.signature.finding))},
               {"detail", valid_utf8(f.detail)}};
  if (f.outcome.difference) {
    finding["difference"] = json{{"channel", valid_utf8(f.outcome.difference->channel)},
                                 {"target", valid_utf8(f.outcome.difference->target.detail)},
                                 {"reference", valid_utf8(f.outcome.difference->reference.detail)}};
  }
  json suspects = json::array();
  for (const std::string& path : f.saved_suspects) suspects.push_back(valid_utf8(path));
  return json{{"script", f.saved.empty() ? json(nullptr) : json(valid_utf8(f.saved))},
              {"text", valid_utf8(print_script(f.script))},
              {"steps", f.script.steps.size()},
              {"bytes", f.script.bytes()},
              {"flaky", f.flaky},
              {"reproduced", f.reproduced},
              {"reruns", f.reruns},
              {"occurrences", f.occurrences},
              {"found_by", json{{"script_index", f.script_index},
                                {"steps", f.found.steps.size()},
                                {"bytes", f.found.bytes()}}},
              {"shrink_runs", f.shrink_runs},
              {"shrink_complete", f.shrink_complete},
              {"finding", std::move(finding)},
              {"channels", channels_json(f.outcome)},
              {"server_exit",
               f.exit_description.empty() ? json(nullptr) : json(valid_utf8(f.exit_description))},
              {"suspects", std::move(suspects)}};
}

std::size_t flaky_count(const CampaignResult& r) {
  std::size_t n = 0;
  for (const FuzzFailure& f : r.failures) n += f.flaky ? 1 : 0;
  return n;
}

// --- HTML ---------------------------------------------------------------------

constexpr const char* kStyle = R"css(
body { margin: 0; padding: 1.5rem; font: 14px/1.45 system-ui, sans-serif; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
dl { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0 0 .75rem; }
dl div { display: flex; gap: .4rem; }
dt { color: #57606a; }
dd { margin: 0; font-weight: 600; }
section.failure { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
section.failure h3 { margin: 0 0 .3rem; font-size: 1rem; }
.id { font-family: ui-monospace, monospace; background: #ffebe9; color: #82071e; padding: 0 .3rem;
  border-radius: 4px; }
.flaky { background: #fff8c5; color: #7d4e00; padding: 0 .3rem; border-radius: 4px; }
pre { background: #f6f8fa; padding: .6rem .8rem; border-radius: 6px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-all; }
p.none { color: #1a7f37; font-weight: 600; }
)css";

std::string field(const std::string& name, const std::string& value) {
  return "<div><dt>" + markup_text(name) + "</dt><dd>" + markup_text(value) + "</dd></div>";
}

std::string failure_html(const FuzzFailure& f) {
  std::string out = "<section class=\"failure\"><h3><span class=\"id\">" +
                    markup_text(f.signature.finding) + "</span> " +
                    markup_text(title_of(f.signature.finding));
  if (f.flaky) out += " <span class=\"flaky\">flaky</span>";
  out += "</h3><p>" + markup_text(f.detail) + "</p><dl>";
  out +=
      field("failed", std::to_string(f.reproduced) + " of " + std::to_string(f.reruns) + " runs");
  out += field("script", std::to_string(f.script.steps.size()) + " steps, " +
                             std::to_string(f.script.bytes()) + " bytes");
  out += field("found by", "script " + std::to_string(f.script_index) + " (" +
                               std::to_string(f.found.steps.size()) + " steps, " +
                               std::to_string(f.found.bytes()) + " bytes)");
  if (f.shrink_runs > 0) out += field("shrunk in", std::to_string(f.shrink_runs) + " runs");
  out += field("occurrences", std::to_string(f.occurrences));
  if (!f.saved.empty()) out += field("saved", f.saved);
  if (!f.exit_description.empty()) out += field("the server", f.exit_description);
  out += "</dl><pre>" + markup_text(print_script(f.script)) + "</pre>";
  std::string evidence;
  for (const ChannelFailure& c : f.outcome.verdict.failures) {
    for (const std::string& line : evidence_lines(c)) evidence += line + "\n";
  }
  if (f.outcome.difference) evidence += f.outcome.difference->describe() + "\n";
  if (!evidence.empty()) out += "<pre>" + markup_text(evidence) + "</pre>";
  for (const std::string& path : f.saved_suspects)
    out += "<p>suspect: <code>" + markup_text(path) + "</code></p>";
  return out + "</section>\n";
}

}  // namespace

std::string render_fuzz_json(const FuzzRun& run, const CampaignResult& result) {
  json failures = json::array();
  for (const FuzzFailure& f : result.failures) failures.push_back(failure_json(f));
  json unconfirmed = json::object();
  for (const auto& [signature, times] : result.unconfirmed)
    unconfirmed[valid_utf8(signature)] = times;
  json transports = json::array();
  if (run.tcp) transports.push_back("tcp");
  if (run.udp) transports.push_back("udp");
  const json out{
      {"format", "echo-conformance-fuzz-report"},
      {"format_version", kFuzzJsonFormatVersion},
      {"target", valid_utf8(run.target)},
      {"reference", run.reference.empty() ? json(nullptr) : json(valid_utf8(run.reference))},
      {"spawn", run.spawn.empty() ? json(nullptr) : json(valid_utf8(run.spawn))},
      {"seed", run.seed},
      {"started_at", valid_utf8(run.started_at)},
      {"duration_s", seconds(run.duration)},
      {"jobs", run.jobs},
      {"transports", std::move(transports)},
      {"stopped", to_string(result.stop)},
      {"stats", json{{"scripts_run", result.scripts_run},
                     {"scripts_per_s", finite(result.scripts_per_s)},
                     {"failures", result.failures.size()},
                     {"flaky", flaky_count(result)},
                     {"unconfirmed", std::move(unconfirmed)},
                     {"elapsed_s", seconds(result.elapsed)},
                     {"fuzzing_s", seconds(result.fuzzing)},
                     {"restarts", result.restarts}}},
      {"failures", std::move(failures)}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_fuzz_html(const FuzzRun& run, const CampaignResult& result) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\"><title>echo-conformance fuzz: " +
      markup_text(run.target) + "</title><style>" + kStyle + "</style></head><body>\n";
  out += "<h1>Fuzzing " + markup_text(run.target) + "</h1><dl>";
  if (!run.reference.empty()) out += field("reference", run.reference);
  if (!run.spawn.empty()) out += field("spawned with", run.spawn);
  out += field("seed", std::to_string(run.seed));
  out += field("started", run.started_at);
  out += field("stopped", to_string(result.stop));
  out += field("scripts", std::to_string(result.scripts_run));
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.0f", result.scripts_per_s);
  out += field("scripts/s", rate);
  out += field("failures", std::to_string(result.failures.size()));
  if (result.restarts > 0) out += field("restarts", std::to_string(result.restarts));
  out += "</dl>\n";
  if (result.failures.empty()) out += "<p class=\"none\">No failure.</p>\n";
  for (const FuzzFailure& f : result.failures) out += failure_html(f);
  if (!result.unconfirmed.empty()) {
    out += "<h2>Dismissed (never failed again when re-run alone)</h2><ul>";
    for (const auto& [signature, times] : result.unconfirmed) {
      out += "<li><code>" + markup_text(signature) + "</code> &times; " + std::to_string(times) +
             "</li>";
    }
    out += "</ul>\n";
  }
  return out + "</body></html>\n";
}

}  // namespace echo::conformance::explore
