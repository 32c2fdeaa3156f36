// What the tools' SVG charts share (echo-bench's latency chart, echo-soak's
// samples): text made safe inside SVG, and round numbers for an axis.
//
// Example:
//   out << "<text>" << svg_escape(title) << "</text>";    // "a < b" -> "a &lt; b"
//   const double y_max = nice_ceiling(peak * 1.1);        // 734 -> 1000, 180 -> 200
#pragma once

#include <string>
#include <string_view>

namespace echo::chart {

// <, >, & and " as entities; everything else unchanged.
[[nodiscard]] std::string svg_escape(std::string_view text);

// The smallest of 1, 2, 5 times a power of ten that is >= value (1 for value <= 0).
[[nodiscard]] double nice_ceiling(double value);

}  // namespace echo::chart
