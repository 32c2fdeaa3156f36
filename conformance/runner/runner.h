// Selecting cases from the catalogue and running them against targets: the
// round-trip time first, then the cases in three phases (shared ones on
// --jobs threads, then those that need the server alone, then the hazardous
// ones, alone and last), a check after each case that the server still
// serves, and last the findings that name the defects behind the results.
//
// Example:
//   Result<std::vector<const Case*>> cases = select_cases({{"tcp.*"}, {}, false, false});
//   RunReport report = run_cases(*cases, {Target{"mine", endpoint, false}}, RunOptions{});
//   for (const Finding& f : report.targets[0].findings) std::cout << f.title << '\n';
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "conformance/model/case.h"
#include "core/util/result.h"

namespace echo::conformance {

struct Selection {
  std::vector<std::string> include;  // globs on case ids ('*' and '?'); empty means all
  std::vector<std::string> exclude;
  bool tcp_only = false;
  bool udp_only = false;
};

// The cases of `from` (the catalogue by default) a selection picks, in their
// order. A selection that picks no case is an error naming the globs.
[[nodiscard]] Result<std::vector<const Case*>> select_cases(const Selection& selection);
[[nodiscard]] Result<std::vector<const Case*>> select_cases(const Selection& selection,
                                                            const std::vector<Case>& from);

struct Target {
  std::string name;  // the NAME of NAME=HOST:PORT, HOST:PORT as typed, or "reference"
  Endpoint address;
  bool is_reference = false;
};

struct RunOptions {
  std::uint64_t seed = 0;
  double timeout_scale = 1.0;
  unsigned jobs = 1;
  // Called after each case finishes, from whichever runner thread ran it, but
  // never two calls at once (they are serialised by a mutex). `target` has name, address and notes;
  // its `cases` holds the results finished so far, in the order they finished.
  std::function<void(const TargetReport& target, const CaseResult& result)> on_case_done;
  // How long past its deadline a case may run before the watchdog records
  // "case exceeded its deadline" and moves on (× timeout_scale).
  std::chrono::milliseconds grace{1000};
  // Before the cases: measure the round-trip time, check that the target
  // serves, and whether it serves a second client while a first is connected
  // (one that does not gets its cases one at a time, and a finding). After each
  // case: check that it still serves. Tests of the scheduler turn this off.
  bool probe_target = true;
  // --record-corpus: every case records its traffic as fuzz inputs here.
  std::shared_ptr<CorpusRecorder> recorder;
};

// Runs every selected case against every target, one target after another,
// and derives each target's findings. Never hangs: every case has its own
// deadline and a watchdog. Results are in the order of `cases` whatever the
// order they ran in.
[[nodiscard]] RunReport run_cases(const std::vector<const Case*>& cases,
                                  const std::vector<Target>& targets, const RunOptions& options);

}  // namespace echo::conformance
