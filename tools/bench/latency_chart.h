// The --svg chart: latency against percentile, in the style of HdrHistogram
// plots. The x axis is logarithmic in 1 / (1 - p), so 90 %, 99 %, 99.9 % ...
// are equally spaced and the tail gets as much room as the median.
//
// Example:
//   std::ofstream("latency.svg") << latency_chart_svg(histogram, "echo-bench tcp ...", "50 conns");
#pragma once

#include <string>

#include "tools/bench/histogram.h"

namespace echo::bench {

// A self-contained SVG document (800 x 500). `title` and `subtitle` are
// escaped. An empty histogram gives a chart that says "no messages".
[[nodiscard]] std::string latency_chart_svg(const LatencyHistogram& histogram,
                                            const std::string& title, const std::string& subtitle);

}  // namespace echo::bench
