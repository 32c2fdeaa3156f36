#include "tools/bench/latency_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tools/bench/report.h"
#include "tools/chart/svg.h"

namespace echo::bench {
namespace {

constexpr double kWidth = 800, kHeight = 500;
constexpr double kLeft = 80, kRight = 30, kTop = 70, kBottom = 60;
constexpr double kMaxNines = 5;  // the x axis ends at 99.999 %

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

}  // namespace

std::string latency_chart_svg(const LatencyHistogram& h, const std::string& title,
                              const std::string& subtitle) {
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  // Percentile p (0..100) at horizontal position x (0..kMaxNines nines).
  auto percentile_at = [](double nines) { return 100.0 * (1.0 - std::pow(10.0, -nines)); };
  const double top_us =
      h.count() ? static_cast<double>(h.value_at_percentile(percentile_at(kMaxNines))) / 1e3 : 1.0;
  const double y_max = chart::nice_ceiling(top_us * 1.05);
  auto px = [&](double nines) { return kLeft + nines / kMaxNines * plot_w; };
  auto py = [&](double us) { return kTop + plot_h - std::min(us, y_max) / y_max * plot_h; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kLeft << "\" y=\"28\" font-size=\"16\" font-weight=\"bold\">"
      << chart::svg_escape(title) << "</text>\n"
      << "<text x=\"" << kLeft << "\" y=\"48\" fill=\"#444\">" << chart::svg_escape(subtitle)
      << "</text>\n";
  for (int i = 0; i <= 5; ++i) {  // horizontal grid, latency
    const double us = y_max * i / 5;
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plot_w << "\" y1=\"" << number(py(us))
        << "\" y2=\"" << number(py(us)) << "\" stroke=\"#ddd\"/>\n"
        << "<text x=\"" << kLeft - 8 << "\" y=\"" << number(py(us) + 4) << "\" text-anchor=\"end\">"
        << format_duration_ns(us * 1e3) << "</text>\n";
  }
  const char* x_labels[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
  for (int nines = 0; nines <= kMaxNines; ++nines) {  // vertical grid, percentiles
    svg << "<line x1=\"" << number(px(nines)) << "\" x2=\"" << number(px(nines)) << "\" y1=\""
        << kTop << "\" y2=\"" << kTop + plot_h << "\" stroke=\"#ddd\"/>\n"
        << "<text x=\"" << number(px(nines)) << "\" y=\"" << kTop + plot_h + 18
        << "\" text-anchor=\"middle\">" << x_labels[nines] << "</text>\n";
  }
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 15
      << "\" text-anchor=\"middle\">percentile</text>\n"
      << "<text x=\"18\" y=\"" << kTop + plot_h / 2
      << "\" text-anchor=\"middle\" transform=\"rotate(-90 18 " << kTop + plot_h / 2
      << ")\">latency</text>\n"
      << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w << "\" height=\""
      << plot_h << "\" fill=\"none\" stroke=\"#888\"/>\n";
  if (h.count() == 0) {
    svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kTop + plot_h / 2
        << "\" text-anchor=\"middle\" font-size=\"20\">no messages</text>\n</svg>\n";
    return svg.str();
  }
  svg << "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"";
  for (int step = 0; step <= 250; ++step) {
    const double nines = kMaxNines * step / 250;
    const double us = static_cast<double>(h.value_at_percentile(percentile_at(nines))) / 1e3;
    svg << number(px(nines)) << ',' << number(py(us)) << ' ';
  }
  svg << "\"/>\n";
  // Marks and labels at the reported percentiles, and the maximum.
  const double marks[] = {50.0, 90.0, 99.0, 99.9};
  const char* names[] = {"p50", "p90", "p99", "p99.9"};
  for (int i = 0; i < 4; ++i) {
    const double nines = -std::log10(1.0 - marks[i] / 100.0);
    const double us = static_cast<double>(h.value_at_percentile(marks[i])) / 1e3;
    svg << "<circle cx=\"" << number(px(nines)) << "\" cy=\"" << number(py(us))
        << "\" r=\"4\" fill=\"#d63\"/>\n"
        << "<text x=\"" << number(px(nines) + 6) << "\" y=\"" << number(py(us) - 8) << "\">"
        << names[i] << ' ' << format_duration_ns(us * 1e3) << "</text>\n";
  }
  svg << "<text x=\"" << kLeft + plot_w - 6 << "\" y=\"" << kTop + 16
      << "\" text-anchor=\"end\" fill=\"#d63\">max "
      << format_duration_ns(static_cast<double>(h.max())) << ", " << h.count()
      << " messages</text>\n</svg>\n";
  return svg.str();
}

}  // namespace echo::bench
