// The vocabulary of the checker: what a case is, what it observed, how that
// is graded, and the report of a whole run. Cases (conformance/cases), the
// runner (conformance/runner), the findings (conformance/findings) and the
// reports (conformance/report) all speak it.
//
// A case never decides its verdict. It returns an Observation (what it saw:
// the requirement held, fell short, was slow, or could not be judged), and the
// runner grades it by the level the catalogue registered for the case: grade()
// below is the one place that decides.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/model/finding.h"
#include "conformance/model/trace.h"
#include "core/address/endpoint.h"
#include "core/address/transport.h"
#include "core/net/deadline.h"

namespace echo::conformance {

class CorpusRecorder;  // conformance/record/corpus_recorder.h

// How much a case matters. RFC 862 only demands that received data is sent
// back, so only cases that check exactly that are kRequired.
enum class Level {
  kRequired,       // falling short means the server is not an echo server
  kRecommended,    // a robustness or quality behaviour; falling short is a warning
  kInformational,  // a measurement; it never fails
};

enum class Verdict {
  kPass,
  kFail,       // a required case fell short (see evidence): the run exits 1
  kWarn,       // a recommended case fell short, or a stream was correct but too slow
  kInfo,       // a measurement, reported with figures
  kSkip,       // not run; evidence says why and how to run it
  kNotJudged,  // could not be judged (the server had stopped, or a precondition
               // failed); evidence says why, and a finding usually explains it
};

// When a case may run (the runner's schedule, whatever --jobs says):
enum class Schedule {
  kShared,  // alongside other shared cases
  kAlone,   // with the server to itself (load, timing and connection counts)
  kHazard,  // may kill or exhaust a fragile server (resets, churn, descriptor
            // pressure, stalled clients): after every other case, alone, each
            // followed by a check that the server still serves
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
  std::chrono::milliseconds deadline{5000};  // before --timeout-scale and the round-trip allowance
  Schedule schedule = Schedule::kShared;
  // Sequential round trips the case makes (connects and echoes one after
  // another): its deadline grows by this many round-trip times to the target,
  // so that distance alone never makes a case fall short.
  int round_trips = 10;
  // Not in the default selection: it can hurt a production server (thousands
  // of connections). It runs with --stress, or when a --cases glob names it
  // (see select_cases in conformance/runner/runner.h).
  bool opt_in = false;
};

// What a case saw. For anything but kMet, `evidence` says exactly what
// happened; expected/actual are short lines for JUnit and the HTML matrix.
struct Observation {
  enum class Kind {
    kMet,        // the requirement held
    kShortfall,  // it did not: wrong, missing or extra bytes, a premature
                 // close or reset, a stall with no progress, a missing behaviour
    kSlow,       // nothing wrong, but the echo was still arriving when the
                 // deadline passed (figures give the rate)
    kMeasured,   // a measurement (figures)
    kNotJudged,  // a precondition failed, so the case cannot tell (evidence says which)
    kSkipped,    // not run (evidence says why, and how to run it)
  };
  Kind kind = Kind::kMet;
  std::string evidence;
  std::string expected;
  std::string actual;
  std::vector<Figure> figures;
  std::vector<StreamTrace> streams;      // the TCP echoes it checked
  std::vector<DatagramTrace> datagrams;  // the UDP exchanges it checked
};

// Everything a case needs to run against one target.
struct CaseContext {
  Endpoint target;         // the same address and port serve TCP and UDP
  std::uint64_t seed = 0;  // every random payload and chunking derives from it
  double timeout_scale = 1.0;
  // The round-trip time to the target, measured before the cases run (0:
  // not measured). Waits that cover one exchange add it; cases that make many
  // exchanges scale their count down when it is large.
  std::chrono::microseconds round_trip{0};
  Deadline deadline = Deadline::never();  // the case's whole budget, already scaled
  std::string case_id;                    // the id of the case run, set by the runner
  // How many connections the stress cases try to hold at once (--stress-connections).
  int stress_connections = 1000;
  // --record-corpus: where the case's traffic goes as fuzz inputs; null when
  // not recording. Shared, so that a case abandoned by the watchdog can
  // outlive the run safely.
  std::shared_ptr<CorpusRecorder> recorder;
};

using CaseFunction = std::function<Observation(const CaseContext& context)>;

struct Case {
  CaseInfo info;
  CaseFunction run;
};

struct CaseResult {
  CaseInfo info;
  Verdict verdict = Verdict::kPass;
  Observation observation;
  std::chrono::milliseconds duration{0};
  // The deadline it ran under: its deadline × --timeout-scale, plus its round
  // trips × the target's round-trip time (the watchdog adds a grace to it).
  std::chrono::milliseconds budget{0};
  std::string diagnosis;  // the id of the finding that explains this result, if any
};

// How the target served, as the runner saw it between cases.
struct ServingFacts {
  // The round-trip time measured before the cases (0: not measured).
  std::chrono::microseconds round_trip{0};
  // It served a second client only after the first left.
  bool one_client_at_a_time = false;
  // A short echo worked before the first case (over TCP when the run has TCP
  // cases, else over UDP).
  bool served_at_start = false;
  // When it stopped serving: the check after `stopped_after` failed, while
  // `running` were running (the case itself and any alongside it).
  struct Stop {
    Transport transport = Transport::kTcp;  // what stopped being served
    std::string stopped_after;
    std::vector<std::string> running;
    bool refused = false;  // new connections were refused (it had exited)
    std::string evidence;  // what the check saw
    // A later check found it serving again, before this case.
    std::string back_before;
  };
  std::optional<Stop> stop;
};

struct TargetReport {
  std::string name;     // NAME of NAME=HOST:PORT, HOST:PORT as typed, or "reference"
  std::string address;  // the endpoint checked, e.g. "127.0.0.1:41234"
  bool is_reference = false;
  std::vector<CaseResult> cases;  // in catalogue order
  ServingFacts serving;
  std::vector<Finding> findings;  // most important first
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

// The verdict an observation of `kind` earns in a case of `level`:
//   kMet        pass
//   kShortfall  fail (required), warn (recommended), info (informational)
//   kSlow       warn (required or recommended), info (informational): slowness
//               is never graded as wrong data
//   kMeasured   info;  kNotJudged  not judged;  kSkipped  skip
[[nodiscard]] Verdict grade(Level level, Observation::Kind kind) noexcept;

[[nodiscard]] const char* to_string(Level level) noexcept;        // "required", ...
[[nodiscard]] const char* to_string(Verdict verdict) noexcept;    // "pass", "not-judged", ...
[[nodiscard]] const char* to_string(Schedule schedule) noexcept;  // "shared", "alone", "hazard"

}  // namespace echo::conformance
