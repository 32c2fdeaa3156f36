// run_bench(): connects, starts --threads workers, prints the live line each
// second and adds up what the workers measured.
//
// Example:
//   Result<RunResult> result = run_bench(options, &std::cerr);
//   if (!result) { std::cerr << result.error().message; return kExitUsage; }  // unreachable
//   print_report(std::cout, options, *result);
#pragma once

#include <iosfwd>

#include "core/util/result.h"
#include "tools/bench/options.h"
#include "tools/bench/report.h"

namespace echo::bench {

// An Error only when the target cannot be reached (connect failed, or no UDP
// echo of a first probe within 2 s). `live` gets a line per second; nullptr: none.
[[nodiscard]] Result<RunResult> run_bench(const BenchOptions& options, std::ostream* live);

}  // namespace echo::bench
