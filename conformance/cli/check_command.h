// A conformance run from start to finish: validate the options, prepare the
// targets (and the reference server), run the selected cases with progress,
// print the terminal report, write the requested reports, choose the exit code.
//
// Example:
//   RunArgs args;
//   args.targets = {"127.0.0.1:7007"};
//   return run_check(args, std::cout, std::cerr);  // 0, 1 or 2 (exit_codes.h)
#pragma once

#include <ostream>
#include <set>
#include <string>

#include "conformance/cli/options.h"
#include "conformance/model/case.h"

namespace echo::conformance::cli {

// Without targets, checks the reference server alone (on IPv4, and IPv6 when
// the host has it). Returns an ExitCode.
[[nodiscard]] int run_check(const RunArgs& args, std::ostream& out, std::ostream& err);

// 1 when a required case failed on one of `judged` (target names), or on any
// target when `judged` is empty; otherwise 0.
[[nodiscard]] int exit_code_for(const RunReport& report, const std::set<std::string>& judged);

}  // namespace echo::conformance::cli
