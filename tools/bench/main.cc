// echo-bench: a load generator for echo servers that verifies every echoed
// byte and tells the truth about latency. See docs/performance.md.
#include <iostream>

#include "core/util/write_file.h"
#include "tools/bench/latency_chart.h"
#include "tools/bench/options.h"
#include "tools/bench/report.h"
#include "tools/bench/run.h"

namespace {

bool write_file(const std::string& path, const std::string& text) {
  const echo::Status written = echo::write_file_atomically(path, text);
  if (!written) std::cerr << "echo-bench: " << written.error().message << '\n';
  return written.ok();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace echo::bench;
  auto parsed = parse_bench_options(argc, argv, std::cout, std::cerr);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  const BenchOptions& options = std::get<BenchOptions>(parsed);

  auto result = run_bench(options, options.quiet ? nullptr : &std::cerr);
  if (!result) {
    std::cerr << "echo-bench: " << result.error().message << '\n';
    return kExitUsage;
  }
  print_report(std::cout, options, *result);
  bool written = true;
  if (!options.json_path.empty()) {
    written &= write_file(options.json_path, report_json(options, *result));
  }
  if (!options.svg_path.empty()) {
    const std::string title = std::string("echo-bench ") + (options.udp ? "udp " : "tcp ") +
                              options.target.to_string() + ": latency by percentile";
    const std::string subtitle =
        std::to_string(options.connections) + " connections, " + std::to_string(options.size) +
        "-byte messages, pipeline " + std::to_string(options.pipeline) +
        (options.rate > 0
             ? ", open loop " + std::to_string(static_cast<long>(options.rate)) + " msg/s"
             : ", closed loop") +
        ", " + std::to_string(result->totals.received) + " messages";
    written &=
        write_file(options.svg_path, latency_chart_svg(result->totals.latency, title, subtitle));
  }
  const int code = exit_code_of(*result);
  return code != kExitOk ? code : (written ? kExitOk : kExitUsage);
}
