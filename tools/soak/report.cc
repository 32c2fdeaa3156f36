#include "tools/soak/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tools/chart/svg.h"

namespace echo::soak {
namespace {

std::string fixed(double value, int digits = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

}  // namespace

std::string summary_text(const SoakResult& r) {
  const Tally& t = r.tally;
  const Verdict& v = r.verdict;
  std::ostringstream out;
  const double seconds = r.samples.empty() ? 0 : r.samples.back().t;
  out << "echo-soak: " << fixed(seconds, 0) << " s of load after opening " << t.idle_open
      << " idle connections in " << fixed(r.idle_open_seconds) << " s\n"
      << "  tcp   " << t.churn_cycles << " churn cycles, " << t.resets << " resets, "
      << t.non_reader_cycles << " non-reader cycles, " << t.idle_verified
      << " idle connections checked; " << t.tcp_bytes_verified << " bytes verified\n"
      << "  udp   " << t.udp_echoed << " of " << t.udp_sent << " datagrams echoed and verified ("
      << t.udp_bytes_verified << " bytes), " << t.udp_lost() << " lost, " << t.udp_late
      << " late (echoed after 10 s)\n"
      << "  descriptors " << v.baseline_descriptors << " before, " << v.final_descriptors
      << " after" << (v.descriptors_back ? " (back to the baseline)" : "") << "\n"
      << "  rss   " << fixed(v.rss_after_warmup_kib / 1024, 2) << " MiB after the warm-up, "
      << fixed(v.rss_at_end_kib / 1024, 2) << " MiB at the end: growth "
      << fixed(v.rss_growth_kib, 0) << " KiB (limit " << v.rss_limit_kib << ")\n"
      << "  data  " << t.lost_bytes << " TCP bytes lost, " << t.wrong << " wrong echoes, "
      << t.failures << " client failures\n"
      << "  server errors: "
      << (v.server_errors ? std::to_string(*v.server_errors) : std::string("unknown (attached)"))
      << "\n";
  for (const std::string& e : t.errors) out << "  error: " << e << "\n";
  for (const std::string& reason : v.reasons) out << "  FAIL: " << reason << "\n";
  out << (v.pass ? "PASS" : "FAIL") << "\n";
  return out.str();
}

std::string report_json(const SoakResult& r) {
  using nlohmann::json;
  const SoakOptions& o = r.options;
  const Tally& t = r.tally;
  const Verdict& v = r.verdict;
  json samples = json::array();
  for (const Sample& s : r.samples) {
    samples.push_back({{"t", s.t},
                       {"rss_kib", s.rss_kib},
                       {"descriptors", s.descriptors},
                       {"cpu_percent", s.cpu_percent},
                       {"churn_cycles", s.churn_cycles},
                       {"tcp_bytes", s.tcp_bytes},
                       {"udp_echoed", s.udp_echoed}});
  }
  json report = {
      {"command", r.command},
      {"options",
       {{"duration_s", o.duration_s},
        {"warmup_s", o.warmup_s},
        {"idle", o.idle},
        {"churn_rate", o.churn_rate},
        {"churn_concurrency", o.churn_concurrency},
        {"reset_rate", o.reset_rate},
        {"non_readers", o.non_readers},
        {"stall_s", o.stall_s},
        {"udp_sources", o.udp_sources},
        {"udp_rate", o.udp_rate},
        {"udp_window", o.udp_window},
        {"rss_limit_kib", o.rss_limit_kib}}},
      {"baseline",
       {{"rss_kib", r.baseline.rss_kib},
        {"descriptors", r.baseline.descriptors},
        {"cpu_seconds", r.baseline.cpu_seconds}}},
      {"idle_open_seconds", r.idle_open_seconds},
      {"samples", samples},
      {"tally",
       {{"idle_open", t.idle_open},
        {"idle_verified", t.idle_verified},
        {"churn_cycles", t.churn_cycles},
        {"resets", t.resets},
        {"non_reader_cycles", t.non_reader_cycles},
        {"tcp_bytes_verified", t.tcp_bytes_verified},
        {"udp_sent", t.udp_sent},
        {"udp_echoed", t.udp_echoed},
        {"udp_timed_out", t.udp_timed_out},
        {"udp_lost", t.udp_lost()},
        {"udp_late", t.udp_late},
        {"udp_bytes_verified", t.udp_bytes_verified},
        {"wrong", t.wrong},
        {"lost_bytes", t.lost_bytes},
        {"failures", t.failures},
        {"errors", t.errors}}},
      {"server_counters", r.server_counters},
      {"verdict",
       {{"baseline_descriptors", v.baseline_descriptors},
        {"final_descriptors", v.final_descriptors},
        {"descriptors_back", v.descriptors_back},
        {"rss_after_warmup_kib", v.rss_after_warmup_kib},
        {"rss_at_end_kib", v.rss_at_end_kib},
        {"rss_growth_kib", v.rss_growth_kib},
        {"rss_limit_kib", v.rss_limit_kib},
        {"rss_ok", v.rss_ok},
        {"data_ok", v.data_ok},
        {"server_errors", v.server_errors ? json(*v.server_errors) : json(nullptr)},
        {"server_ok", v.server_ok},
        {"pass", v.pass},
        {"reasons", v.reasons}}},
  };
  return report.dump(2) + "\n";
}

std::string report_svg(const SoakResult& r) {
  constexpr double kWidth = 900, kLeft = 90, kRight = 30, kTop = 70, kPanel = 170, kGap = 40;
  const double plot_w = kWidth - kLeft - kRight;
  const double height = kTop + 3 * kPanel + 2 * kGap + 50;
  const double t_max = r.samples.empty() ? 1 : std::max(1.0, r.samples.back().t);
  auto px = [&](double t) { return kLeft + t / t_max * plot_w; };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kLeft << "\" y=\"28\" font-size=\"16\" font-weight=\"bold\">"
      << chart::svg_escape("echo-soak: " + std::string(r.verdict.pass ? "PASS" : "FAIL"))
      << "</text>\n"
      << "<text x=\"" << kLeft << "\" y=\"48\" fill=\"#444\">" << chart::svg_escape(r.command)
      << "</text>\n";
  struct Panel {
    const char* label;
    std::function<double(const Sample&)> value;
    const char* colour;
  };
  const Panel panels[] = {
      {"RSS (MiB)", [](const Sample& s) { return s.rss_kib / 1024.0; }, "#1f77b4"},
      {"descriptors", [](const Sample& s) { return static_cast<double>(s.descriptors); },
       "#2ca02c"},
      {"CPU (% of a core)", [](const Sample& s) { return s.cpu_percent; }, "#d62728"},
  };
  for (int p = 0; p < 3; ++p) {
    const Panel& panel = panels[p];
    const double top = kTop + p * (kPanel + kGap);
    double peak = 0;
    for (const Sample& s : r.samples) peak = std::max(peak, panel.value(s));
    const double y_max = chart::nice_ceiling(peak * 1.1);
    auto py = [&](double v) { return top + kPanel - std::min(v, y_max) / y_max * kPanel; };
    svg << "<text x=\"" << kLeft << "\" y=\"" << top - 8 << "\" font-weight=\"bold\">"
        << panel.label << "</text>\n";
    for (int i = 0; i <= 4; ++i) {
      const double v = y_max * i / 4;
      svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + plot_w << "\" y1=\"" << fixed(py(v))
          << "\" y2=\"" << fixed(py(v)) << "\" stroke=\"#ddd\"/>\n"
          << "<text x=\"" << kLeft - 8 << "\" y=\"" << fixed(py(v) + 4) << "\" text-anchor=\"end\">"
          << fixed(v, y_max < 40 ? 1 : 0) << "</text>\n";
    }
    const double warm = px(std::min(r.options.warmup_s, t_max));
    svg << "<line x1=\"" << fixed(warm) << "\" x2=\"" << fixed(warm) << "\" y1=\"" << top
        << "\" y2=\"" << top + kPanel << "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n";
    svg << "<polyline fill=\"none\" stroke=\"" << panel.colour
        << "\" stroke-width=\"1.5\" points=\"";
    for (const Sample& s : r.samples)
      svg << fixed(px(s.t)) << ',' << fixed(py(panel.value(s))) << ' ';
    svg << "\"/>\n";
  }
  const double axis_y = kTop + 3 * kPanel + 2 * kGap + 20;
  for (int i = 0; i <= 10; ++i) {
    const double t = t_max * i / 10;
    svg << "<text x=\"" << fixed(px(t)) << "\" y=\"" << axis_y << "\" text-anchor=\"middle\">"
        << fixed(t, 0) << " s</text>\n";
  }
  svg << "<text x=\"" << kLeft + plot_w << "\" y=\"" << axis_y + 18
      << "\" text-anchor=\"end\" fill=\"#444\">dashed: end of the warm-up</text>\n</svg>\n";
  return svg.str();
}

}  // namespace echo::soak
