// Hand-made RunReports for the report tests: no network, every verdict, and
// evidence full of what a hostile server could send back.
#pragma once

#include <string>

#include "conformance/model/case.h"

namespace echo::conformance::report::testing {

inline CaseResult make_result(std::string id, Level level, Verdict verdict,
                              std::string evidence = "", std::string expected = "",
                              std::string actual = "", int milliseconds = 5) {
  CaseResult result;
  result.info.id = std::move(id);
  result.info.title = "Title of " + result.info.id;
  result.info.requirement = "\"data received is sent back\"";
  result.info.source = "RFC 862";
  result.info.level = level;
  result.verdict = verdict;
  result.observation.evidence = std::move(evidence);
  result.observation.expected = std::move(expected);
  result.observation.actual = std::move(actual);
  result.duration = std::chrono::milliseconds(milliseconds);
  result.budget = std::chrono::milliseconds(1000);
  return result;
}

// Evidence with markup, invalid UTF-8 (\xff), a control character (\x01) and
// a terminal escape (\x1b).
inline const std::string kHostileEvidence =
    "got <script>alert(\"x\")</script> & 'more'\xff\x01\x1b[2J\nsecond line";

// Two targets over six cases: "reference" passes everything except the
// informational case (and has no tcp.robust.reset); "mine" fails a required case (hostile
// evidence), warns, skips, measures and has one case not judged, and one finding.
inline RunReport sample_report() {
  RunReport report;
  report.seed = 12345678901234ULL;
  report.started_at = "2024-05-01T12:00:00Z";
  report.timeout_scale = 1.5;

  TargetReport reference;
  reference.name = "reference";
  reference.address = "127.0.0.1:40000";
  reference.is_reference = true;
  reference.cases.push_back(make_result("tcp.echo.binary", Level::kRequired, Verdict::kPass));
  reference.cases.push_back(make_result("tcp.echo.large", Level::kRequired, Verdict::kPass));
  reference.cases.push_back(
      make_result("tcp.half_close", Level::kRecommended, Verdict::kPass, "", "", "", 15000));
  reference.cases.push_back(make_result("udp.echo.small", Level::kRequired, Verdict::kPass));
  reference.cases.push_back(make_result("tcp.rtt", Level::kInformational, Verdict::kInfo));
  reference.cases.back().observation.figures = {{"rtt_p50", 41.5, "us"}, {"rtt_p99", 90, "us"}};

  TargetReport mine;
  mine.name = "mine";
  mine.address = "192.0.2.7:7";
  mine.notes = {"served one client at a time"};
  mine.cases.push_back(make_result("tcp.echo.binary", Level::kRequired, Verdict::kFail,
                                   kHostileEvidence, "256 bytes echoed", "12 bytes <b>"));
  mine.cases.push_back(make_result("tcp.echo.large", Level::kRequired, Verdict::kPass));
  mine.cases.push_back(make_result("tcp.half_close", Level::kRecommended, Verdict::kWarn,
                                   "closed before echoing after FIN"));
  mine.cases.push_back(
      make_result("udp.echo.small", Level::kRequired, Verdict::kSkip, "--tcp-only was given"));
  mine.cases.push_back(make_result("tcp.rtt", Level::kInformational, Verdict::kInfo));
  mine.cases.back().observation.figures = {{"rtt_p50", 120, "us"}};
  mine.cases.push_back(make_result("tcp.robust.reset", Level::kRecommended, Verdict::kNotJudged,
                                   "not run: the server stopped serving after tcp.half_close"));
  // One finding, explaining the required failure, with a hostile title.
  mine.cases[0].diagnosis = "nul-cut";
  Finding finding;
  finding.id = "nul-cut";
  finding.title = "data is cut at the first NUL byte <i>";
  finding.explanation = "tcp.echo.binary: the client sent a NUL (00) at byte 0 <b>&\x1b[2J\xff";
  finding.cases = {"tcp.echo.binary"};
  finding.severity = Finding::Severity::kError;
  mine.findings.push_back(finding);

  report.targets = {reference, mine};
  return report;
}

}  // namespace echo::conformance::report::testing
