// Selecting cases from the catalogue and running them against targets, with
// per-case deadlines and --jobs parallelism.
#pragma once

#include <cstdint>
#include <functional>
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
  std::string name;  // as typed, or "reference"
  Endpoint address;
  bool is_reference = false;
};

struct RunOptions {
  std::uint64_t seed = 0;
  double timeout_scale = 1.0;
  unsigned jobs = 1;
  // Called after each case finishes (from the runner's thread, serialised).
  std::function<void(const TargetReport& target, const CaseResult& result)> on_case_done;
};

// Runs every selected case against every target. Never hangs: every case has
// its own deadline (info.deadline × timeout_scale).
[[nodiscard]] RunReport run(const std::vector<const Case*>& cases, const std::vector<Target>& targets,
                            const RunOptions& options);

}  // namespace echo::conformance
