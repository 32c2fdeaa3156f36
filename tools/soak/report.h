// The soak's outputs: a summary for the terminal, the JSON (options, every
// sample, the clients' tally, the server's exit counters, the verdict) and an
// SVG of RSS, descriptors and CPU over time with the warm-up marked.
//
// Example:
//   std::cout << summary_text(result);
//   write(options.json_path, report_json(result));
//   write(options.svg_path, report_svg(result));
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/soak/judge.h"
#include "tools/soak/options.h"
#include "tools/soak/process_stats.h"

namespace echo::soak {

struct SoakResult {
  SoakOptions options;
  std::string command;  // how it was run, for the record
  ProcessStats baseline;
  double idle_open_seconds = 0;  // to open the idle connections
  std::vector<Sample> samples;
  Tally tally;
  std::map<std::string, std::uint64_t> server_counters;  // empty when attached
  Verdict verdict;
};

[[nodiscard]] std::string summary_text(const SoakResult& result);
[[nodiscard]] std::string report_json(const SoakResult& result);
[[nodiscard]] std::string report_svg(const SoakResult& result);

}  // namespace echo::soak
