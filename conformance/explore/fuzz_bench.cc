// fuzz-bench: how many generated scripts a second `echo-conformance fuzz`
// runs against the reference server on this machine, with the default mix
// and settings (or the --jobs and --in-flight given). It starts echo-server
// (built next to it) on loopback, fuzzes it for --seconds, and prints one line
// per setting. Besides the rate, which depends on how busy the machine is, it
// prints the CPU time each script costs the fuzzer and the server (from
// getrusage and /proc/PID/stat), and the rate those costs allow on this
// machine's cores when nothing else runs: a figure a loaded machine does not
// distort. docs/fuzzing.md records the figures.
//
//   fuzz-bench [--seconds S] [--jobs N]... [--in-flight N] [--seed N] [--tcp-only|--udp-only]
//   scripts/s 897  (jobs 1, in flight 128, 2114 scripts in 2.4 s, 0 failures)
//   cpu per script: fuzzer 239 us, server 132 us; 2 cores allow 5387 scripts/s
//
// Exit codes: 0 measured, 1 the reference server showed a failure, 2 usage
// error or the server did not start.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "conformance/explore/campaign.h"
#include "conformance/explore/testing/live_server.h"

namespace {

// CPU seconds (user + system) this process has used.
double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds (user + system) process `pid` has used, from /proc/PID/stat.
double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    if (i == 15) break;
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace echo::conformance::explore;
  CLI::App app("Measures the live fuzzer's scripts per second against the reference server.");
  double seconds = 5;
  std::vector<unsigned> jobs{1};
  std::size_t in_flight = CampaignOptions{}.in_flight;
  std::uint64_t seed = 1;
  bool tcp_only = false;
  bool udp_only = false;
  app.add_option("--seconds", seconds, "how long each measurement fuzzes (default 5)")
      ->check(CLI::Range(0.5, 3600.0));
  app.add_option("--jobs", jobs, "job threads; repeat to compare (default 1)")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--in-flight", in_flight, "scripts at once per job")->check(CLI::Range(1, 4096));
  app.add_option("--seed", seed, "the run's seed (default 1)");
  auto* tcp = app.add_flag("--tcp-only", tcp_only, "only TCP scripts");
  app.add_flag("--udp-only", udp_only, "only UDP scripts")->excludes(tcp);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  int exit_code = 0;
  for (unsigned j : jobs) {
    echo::Result<testing::LiveServer> server = testing::start_reference_server();
    if (!server) {
      std::cerr << "fuzz-bench: " << server.error().message << '\n';
      return 2;
    }
    CampaignOptions o;
    o.execute.target = server->endpoint;
    o.duration = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    o.seed = seed;
    o.jobs = j;
    o.in_flight = in_flight;
    o.generator = {!udp_only, !tcp_only};
    const double fuzzer_before = own_cpu_seconds();
    const double server_before = process_cpu_seconds(server->process.pid());
    const CampaignResult r = run_campaign(o);
    const double fuzzer_cpu = own_cpu_seconds() - fuzzer_before;
    const double server_cpu = process_cpu_seconds(server->process.pid()) - server_before;
    std::printf("scripts/s %.0f  (jobs %u, in flight %zu, %llu scripts in %.1f s, %zu failures)\n",
                r.scripts_per_s, j, in_flight, static_cast<unsigned long long>(r.scripts_run),
                std::chrono::duration<double>(r.fuzzing).count(), r.failures.size());
    if (r.scripts_run > 0) {
      const double scripts = static_cast<double>(r.scripts_run);
      const double per_script = (fuzzer_cpu + server_cpu) / scripts;
      const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
      std::printf("cpu per script: fuzzer %.0f us, server %.0f us; %u cores allow %.0f scripts/s\n",
                  fuzzer_cpu / scripts * 1e6, server_cpu / scripts * 1e6, cores,
                  per_script > 0 ? cores / per_script : 0);
    }
    for (const FuzzFailure& f : r.failures) {
      std::printf("  failure %s: %s\n", f.signature.key().c_str(), f.detail.c_str());
      exit_code = 1;
    }
    for (const auto& [signature, times] : r.unconfirmed) {
      std::printf("  dismissed %zu time(s), never failing again alone: %s\n", times,
                  signature.c_str());
    }
  }
  return exit_code;
}
