#include "tools/chart/svg.h"

#include <cmath>

#include "core/util/markup.h"

namespace echo::chart {

std::string svg_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (const char* entity = markup_entity(c)) {
      out += entity;
    } else {
      out += c;
    }
  }
  return out;
}

double nice_ceiling(double value) {
  if (value <= 0) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

}  // namespace echo::chart
