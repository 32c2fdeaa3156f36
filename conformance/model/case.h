// The vocabulary of the checker: what a case is, what it concluded, and the
// report of a whole run. Cases (conformance/cases), the runner
// (conformance/runner) and the reports (conformance/report) all speak it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/address/endpoint.h"
#include "core/address/transport.h"
#include "core/net/deadline.h"

namespace echo::conformance {

class CorpusRecorder;  // conformance/record/corpus_recorder.h

// How much a case matters. RFC 862 only demands that received data is sent
// back, so only cases that check exactly that are kRequired.
enum class Level {
  kRequired,       // failing it means the server is not an echo server
  kRecommended,    // a robustness or quality behaviour; missing it is a warning
  kInformational,  // a measurement; it never fails
};

// What a case concluded. Only a required case can fail; graded() enforces it
// for every result the runner records:
//   required:      fail when the requirement is broken (the run exits 1)
//   recommended:   warn when the behaviour is missing or broken, never fail
//   informational: info (a measurement), never fail or warn
// Any case can pass or be skipped.
enum class Verdict {
  kPass,
  kFail,  // a requirement was broken (see evidence); only required cases fail
  kWarn,  // a recommended behaviour is missing or broken (see evidence)
  kInfo,  // a measurement, reported with figures
  kSkip,  // not run; evidence says why
};

// A measured figure, e.g. {"rtt_p50", 41.2, "us"}.
struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
};

// Static description of a case, as `echo-conformance list` prints it.
struct CaseInfo {
  std::string id;           // stable, grouped: "tcp.echo.binary"
  std::string title;        // one line
  std::string requirement;  // the requirement checked, quoted
  std::string source;       // "RFC 862", "RFC 9293 §3.6", "robustness, beyond RFC 862", ...
  Level level = Level::kRequired;
  Transport transport = Transport::kTcp;
  std::chrono::milliseconds deadline{5000};  // before --timeout-scale
  // Needs the server to itself: the runner never runs it alongside another
  // case (load, timing and connection-count cases, and those that may crash
  // the server, which run last).
  bool exclusive = false;
};

// What a case concluded. For a non-pass, evidence says exactly what happened;
// expected/actual are short lines for JUnit and the HTML matrix.
struct Outcome {
  Verdict verdict = Verdict::kPass;
  std::string evidence;
  std::string expected;
  std::string actual;
  std::vector<Figure> figures;
};

// Everything a case needs to run against one target.
struct CaseContext {
  Endpoint target;         // the same address and port serve TCP and UDP
  std::uint64_t seed = 0;  // every random payload and chunking derives from it
  double timeout_scale = 1.0;
  Deadline deadline = Deadline::never();  // the case's whole budget, already scaled
  std::string case_id;                    // the id of the case run, set by the runner
  // --record-corpus: where the case's traffic goes as fuzz inputs; null when
  // not recording. Shared, so that a case abandoned by the watchdog can
  // outlive the run safely.
  std::shared_ptr<CorpusRecorder> recorder;
};

using CaseFunction = Outcome (*)(const CaseContext& context);

struct Case {
  CaseInfo info;
  CaseFunction run = nullptr;
};

struct CaseResult {
  CaseInfo info;
  Outcome outcome;
  std::chrono::milliseconds duration{0};
};

struct TargetReport {
  std::string name;     // NAME of NAME=HOST:PORT, HOST:PORT as typed, or "reference"
  std::string address;  // the endpoint checked, e.g. "127.0.0.1:41234"
  bool is_reference = false;
  std::vector<CaseResult> cases;  // in catalogue order
  // Remarks of the runner about this target, e.g. that cases ran one at a time
  // because the server served only one client at a time.
  std::vector<std::string> notes;
};

struct RunReport {
  std::uint64_t seed = 0;
  std::string started_at;  // ISO 8601 UTC
  double timeout_scale = 1.0;
  std::vector<TargetReport> targets;
};

// `verdict` as a case of `level` may give it: a recommended case's kFail
// becomes kWarn, an informational case's kFail or kWarn becomes kInfo; every
// other verdict is kept. The runner applies it to every result it records, so
// only a required case can fail a run.
[[nodiscard]] Verdict graded(Level level, Verdict verdict) noexcept;

[[nodiscard]] const char* to_string(Level level) noexcept;      // "required", ...
[[nodiscard]] const char* to_string(Verdict verdict) noexcept;  // "pass", "fail", ...
// to_string(Transport), "tcp" or "udp", is core's (core/address/transport.h).

}  // namespace echo::conformance
