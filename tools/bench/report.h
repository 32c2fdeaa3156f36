// What echo-bench prints and writes once the run is over: the text report on
// standard output, --json, and the exit code the figures call for.
//
// Example output:
//   echo-bench tcp 127.0.0.1:7007: 50 connections, 64-byte messages, pipeline 1, 1 thread,
//     3.0 s measured after 1.0 s warm-up, closed loop
//   messages  1234567 echoed and verified (1234617 sent): 411522 msg/s
//   bytes     26.3 MB/s sent, 26.3 MB/s received
//   latency   p50 118 us  p90 131 us  p99 160 us  p99.9 270 us  max 1.21 ms  (mean 120 us)
//   errors    none
//   cpu       1.02 s: 2.47 us per message (34 % of 1 core)
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "tools/bench/options.h"
#include "tools/bench/stats.h"

namespace echo::bench {

struct RunResult {
  ThreadStats totals;     // all threads added together
  double measured_s = 0;  // the window's real length
  // The measured window on the steady clock (CLOCK_MONOTONIC), so another
  // program can line its own samples up with it (tools/bench-peers does).
  std::int64_t window_start_ns = 0;
  std::int64_t window_end_ns = 0;
};

// The exit code: 1 on any verification or connection error, else 0.
[[nodiscard]] int exit_code_of(const RunResult& result) noexcept;

void print_report(std::ostream& out, const BenchOptions& options, const RunResult& result);

// The JSON document written by --json (its fields are listed in docs/performance.md).
[[nodiscard]] std::string report_json(const BenchOptions& options, const RunResult& result);

// "1.21 ms", "118 us", "950 ns": three significant digits.
[[nodiscard]] std::string format_duration_ns(double ns);

}  // namespace echo::bench
