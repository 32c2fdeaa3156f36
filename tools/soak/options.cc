#include "tools/soak/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <ostream>

#include "core/address/parse.h"

namespace echo::soak {
namespace {

constexpr const char* kDescription =
    "echo-soak: holds idle connections and runs connect/echo/close churn, resetting clients,\n"
    "non-reading clients and UDP from several sources against an echo server on loopback for a\n"
    "while, verifying every echoed byte, and samples the server's memory, descriptors and CPU\n"
    "each second. Start the server through it:\n"
    "  echo-soak [options] -- echo-server --listen 127.0.0.1:0 --quiet\n"
    "(it reads the 'listening tcp|udp ADDRESS' lines), or attach with --target and --pid.";

constexpr const char* kExitCodes =
    "Exit codes: 0 every pass criterion met; 1 one failed (descriptors not back to the\n"
    "baseline, RSS growth after the warm-up above the limit, bytes lost or wrong, client\n"
    "failures, server errors); 2 usage error, a target off loopback, a server that did not\n"
    "start, or too few descriptors for the idle connections.";

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

}  // namespace

std::variant<SoakOptions, int> parse_soak_options(int argc, char** argv, std::ostream& out,
                                                  std::ostream& err) {
  SoakOptions options;
  std::string target_text;
  CLI::App app(kDescription, "echo-soak");
  app.footer(kExitCodes);
  app.add_option("--target", target_text, "ADDRESS:PORT of a running server (with --pid)");
  app.add_option("--pid", options.pid, "process id of that server")->check(CLI::PositiveNumber);
  app.add_option("-d,--duration", options.duration_s, "seconds of load (default 600)")
      ->check(CLI::Range(1.0, 86400.0));
  app.add_option("-w,--warmup", options.warmup_s,
                 "seconds of the load after which RSS growth is measured (default 60)")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--idle", options.idle, "idle connections held all along (default 10000)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1'000'000}));
  app.add_option("--churn-rate", options.churn_rate, "connect/echo/close cycles a second (200)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--churn-concurrency", options.churn_concurrency, "cycles at once at most (16)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  app.add_option("--reset-rate", options.reset_rate,
                 "clients a second that reset with their echo unread (20)")
      ->check(CLI::Range(0.0, 1e5));
  app.add_option("--non-readers", options.non_readers,
                 "clients at once that write without reading (4)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000}));
  app.add_option("--stall", options.stall_s, "seconds a non-reader holds the server stalled (2)")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--udp-sources", options.udp_sources,
                 "UDP sockets, each from its own loopback address (4)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{200}));
  app.add_option("--udp-rate", options.udp_rate, "datagrams a second per source (5000)")
      ->check(CLI::Range(0.0, 1e7));
  app.add_option("--udp-window", options.udp_window, "datagrams in flight per source (16)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  app.add_option("--rss-limit-kib", options.rss_limit_kib,
                 "RSS growth allowed after the warm-up, KiB (1024)")
      ->check(CLI::Range(0l, 1l << 30));
  app.add_option("--json", options.json_path, "write the samples and the verdict as JSON");
  app.add_option("--svg", options.svg_path, "write RSS, descriptors and CPU over time as SVG");
  app.add_flag("-q,--quiet", options.quiet, "no line per 10 seconds on stderr");
  app.add_option("server", options.server_command, "after --: the server command to start");
  app.positionals_at_end();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitPass;
  } catch (const CLI::ParseError& e) {
    err << "echo-soak: " << one_line(e.what()) << " (see --help)\n";
    return kExitUsage;
  }
  const bool attach = !target_text.empty() || options.pid != 0;
  if (attach == !options.server_command.empty()) {
    err << "echo-soak: give either a server command after -- or --target and --pid\n";
    return kExitUsage;
  }
  if (attach) {
    Result<Endpoint> target = parse_endpoint(target_text, std::nullopt, PortRule::kNonZero);
    if (!target || options.pid == 0) {
      err << "echo-soak: --target ADDRESS:PORT and --pid PID go together"
          << (target ? "" : ": " + one_line(target.error().message)) << '\n';
      return kExitUsage;
    }
    if (!target->is_loopback()) {
      err << "echo-soak: " << target->to_string() << " is not a loopback address; the soak "
          << "floods its target and runs on loopback only\n";
      return kExitUsage;
    }
    options.target = *target;
  }
  if (options.warmup_s >= options.duration_s) {
    err << "echo-soak: --warmup must be shorter than --duration\n";
    return kExitUsage;
  }
  return options;
}

}  // namespace echo::soak
