#include "tools/bench/report.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

namespace echo::bench {
namespace {

constexpr double kPercentiles[] = {50.0, 90.0, 99.0, 99.9};
constexpr const char* kPercentileNames[] = {"p50", "p90", "p99", "p99.9"};

std::string describe_load(const BenchOptions& o) {
  char line[400];
  std::snprintf(line, sizeof line,
                "echo-bench %s %s: %u %s, %zu-byte messages, pipeline %u, %u thread%s,\n"
                "  %.1f s measured after %.1f s warm-up, %s",
                o.udp ? (o.gso ? "udp --gso" : "udp") : "tcp", o.target.to_string().c_str(),
                o.connections,
                o.udp ? (o.connections == 1 ? "socket" : "sockets")
                      : (o.connections == 1 ? "connection" : "connections"),
                o.size, o.pipeline, o.threads, o.threads == 1 ? "" : "s", o.duration_s, o.warmup_s,
                o.rate > 0 ? ("open loop at " + std::to_string(static_cast<long long>(o.rate)) +
                              " msg/s (latency from the scheduled send time)")
                                 .c_str()
                           : "closed loop");
  return line;
}

double per_second(std::uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0.0;
}

// What the kernel batched: the GSO sends made (--gso: asked for, not
// necessarily granted) and the GRO bursts received (asked for on every socket).
std::string describe_batching(const BenchOptions& o, const UdpCounts& u) {
  std::string text;
  if (o.gso) {
    const std::string sockets =
        std::to_string(u.gso_fallbacks) + (u.gso_fallbacks == 1 ? " socket" : " sockets");
    if (u.gso_sends == 0 && u.gso_fallbacks > 0) {
      text = "GSO refused by the kernel: fell back to sendmmsg";
    } else if (u.gso_sends == 0) {
      text = "GSO: 0 sends (never two datagrams to send at once)";
    } else {
      text = "GSO: " + std::to_string(u.gso_sends) + (u.gso_sends == 1 ? " send" : " sends");
      if (u.gso_fallbacks > 0) text += " (then refused on " + sockets + ": fell back to sendmmsg)";
    }
    text += "; ";
  }
  return text + "GRO: " + std::to_string(u.gro_bursts) +
         (u.gro_bursts == 1 ? " burst received" : " bursts received");
}

}  // namespace

std::string format_duration_ns(double ns) {
  char text[32];
  const char* unit = "ns";
  double value = ns;
  if (ns >= 1e9) {
    value = ns / 1e9, unit = "s";
  } else if (ns >= 1e6) {
    value = ns / 1e6, unit = "ms";
  } else if (ns >= 1e3) {
    value = ns / 1e3, unit = "us";
  }
  const int decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  std::snprintf(text, sizeof text, "%.*f %s", unit[0] == 'n' ? 0 : decimals, value, unit);
  return text;
}

int exit_code_of(const RunResult& result) noexcept {
  const ThreadStats& t = result.totals;
  return t.verification_errors + t.connection_errors > 0 ? kExitVerification : kExitOk;
}

void print_report(std::ostream& out, const BenchOptions& o, const RunResult& r) {
  const ThreadStats& t = r.totals;
  const double s = r.measured_s;
  char line[512];
  out << describe_load(o) << '\n';
  std::snprintf(line, sizeof line, "messages  %llu echoed and verified (%llu sent): %.0f msg/s\n",
                static_cast<unsigned long long>(t.received),
                static_cast<unsigned long long>(t.sent), per_second(t.received, s));
  out << line;
  std::snprintf(line, sizeof line, "bytes     %.1f MB/s sent, %.1f MB/s received\n",
                per_second(t.bytes_sent, s) / 1e6, per_second(t.bytes_received, s) / 1e6);
  out << line << "latency  ";
  for (std::size_t i = 0; i < std::size(kPercentiles); ++i) {
    out << ' ' << kPercentileNames[i] << ' '
        << format_duration_ns(static_cast<double>(t.latency.value_at_percentile(kPercentiles[i])))
        << ' ';
  }
  out << " max " << format_duration_ns(static_cast<double>(t.latency.max())) << "  (mean "
      << format_duration_ns(t.latency.mean()) << ")\n";
  if (t.verification_errors + t.connection_errors == 0) {
    out << "errors    none\n";
  } else {
    out << "errors    " << t.verification_errors << " verification, " << t.connection_errors
        << " connection; first: " << t.first_error << '\n';
  }
  if (o.udp) {
    std::snprintf(line, sizeof line,
                  "udp       %llu sent, %llu echoed, %llu lost, %llu duplicated, %llu reordered, "
                  "%llu late (whole run)\n",
                  static_cast<unsigned long long>(t.udp.sent),
                  static_cast<unsigned long long>(t.udp.echoed),
                  static_cast<unsigned long long>(t.udp.lost()),
                  static_cast<unsigned long long>(t.udp.duplicated),
                  static_cast<unsigned long long>(t.udp.reordered),
                  static_cast<unsigned long long>(t.udp.late));
    out << line << "          " << describe_batching(o, t.udp) << '\n';
  }
  std::snprintf(
      line, sizeof line, "cpu       %.2f s: %s per message (%.0f %% of %u core%s)\n", t.cpu_seconds,
      format_duration_ns(t.received ? t.cpu_seconds * 1e9 / static_cast<double>(t.received) : 0)
          .c_str(),
      s > 0 ? 100.0 * t.cpu_seconds / s / o.threads : 0.0, o.threads, o.threads == 1 ? "" : "s");
  out << line;
}

std::string report_json(const BenchOptions& o, const RunResult& r) {
  const ThreadStats& t = r.totals;
  const double s = r.measured_s;
  nlohmann::json latency = {{"min", t.latency.min() / 1e3},
                            {"mean", t.latency.mean() / 1e3},
                            {"max", t.latency.max() / 1e3}};
  for (std::size_t i = 0; i < std::size(kPercentiles); ++i) {
    latency[kPercentileNames[i]] = t.latency.value_at_percentile(kPercentiles[i]) / 1e3;
  }
  nlohmann::json curve = nlohmann::json::array();
  for (double p :
       {0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 100.0}) {
    curve.push_back({p, t.latency.value_at_percentile(p) / 1e3});
  }
  nlohmann::json doc = {
      {"target", o.target.to_string()},
      {"transport", o.udp ? "udp" : "tcp"},
      {"gso", o.gso},
      {"connections", o.connections},
      {"size", o.size},
      {"pipeline", o.pipeline},
      {"threads", o.threads},
      {"rate", o.rate},
      {"duration_s", o.duration_s},
      {"warmup_s", o.warmup_s},
      {"measured_s", s},
      {"window_monotonic_ns", {r.window_start_ns, r.window_end_ns}},
      {"messages",
       {{"sent", t.sent}, {"received", t.received}, {"per_second", per_second(t.received, s)}}},
      {"bytes",
       {{"sent", t.bytes_sent},
        {"received", t.bytes_received},
        {"sent_mb_per_s", per_second(t.bytes_sent, s) / 1e6},
        {"received_mb_per_s", per_second(t.bytes_received, s) / 1e6}}},
      {"latency_us", latency},
      {"latency_curve_us", curve},
      {"errors",
       {{"verification", t.verification_errors},
        {"connection", t.connection_errors},
        {"first", t.first_error}}},
      {"cpu",
       {{"seconds", t.cpu_seconds},
        {"us_per_message",
         t.received ? t.cpu_seconds * 1e6 / static_cast<double>(t.received) : 0.0}}},
      {"exit_code", exit_code_of(r)},
  };
  if (o.udp) {
    doc["udp"] = {{"sent", t.udp.sent},
                  {"echoed", t.udp.echoed},
                  {"lost", t.udp.lost()},
                  {"duplicated", t.udp.duplicated},
                  {"reordered", t.udp.reordered},
                  {"late", t.udp.late},
                  {"gso_sends", t.udp.gso_sends},
                  {"gso_fallbacks", t.udp.gso_fallbacks},
                  {"gro_bursts", t.udp.gro_bursts}};
  }
  return doc.dump(2);
}

}  // namespace echo::bench
