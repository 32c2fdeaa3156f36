// Selecting cases from the catalogue and running them against targets, with
// per-case deadlines and --jobs parallelism.
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

// The whole catalogue, in a stable order.
[[nodiscard]] const std::vector<Case>& catalogue();

struct Selection {
  std::vector<std::string> include;  // globs on case ids ('*' and '?'); empty means all
  std::vector<std::string> exclude;
  bool tcp_only = false;
  bool udp_only = false;
};

// The cases a selection picks, in catalogue order. A selection that picks no
// case is an error naming the globs.
[[nodiscard]] Result<std::vector<const Case*>> select_cases(const Selection& selection);

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
  // With jobs > 1, first check (in about a millisecond for a concurrent server)
  // whether the target serves a second client while a first one is connected;
  // if it serves one client at a time, its cases run one by one (parallel
  // cases would time out waiting for each other) and a note says so.
  bool detect_serial_servers = true;
  // --record-corpus: every case records its traffic as fuzz inputs here.
  std::shared_ptr<CorpusRecorder> recorder;
};

// Runs every selected case against every target, one target after another.
// Never hangs: every case has its own deadline (info.deadline × timeout_scale)
// and a watchdog. With jobs > 1, cases run on `jobs` threads, except those
// marked exclusive, which run alone afterwards in catalogue order. Results are
// in the order of `cases` whatever the order they finished in.
[[nodiscard]] RunReport run(const std::vector<const Case*>& cases,
                            const std::vector<Target>& targets, const RunOptions& options);

}  // namespace echo::conformance
