#include "tools/bench/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <ostream>

#include "core/address/parse.h"
#include "core/codec/probe_record.h"
#include "core/net/resolve.h"
#include "core/version/version.h"

namespace echo::bench {
namespace {

constexpr const char* kDescription =
    "echo-bench: a load generator for RFC 862 echo servers that verifies every echoed byte.\n"
    "Messages are probe records (sequence number, send time, CRC-32C); latency is measured\n"
    "from the send time, or from the SCHEDULED send time under --rate (open loop).\n"
    "Exit codes: 0 ok, 1 verification error (corrupt, missing or extra echo bytes, or a\n"
    "connection lost), 2 usage error or target unreachable.";

constexpr std::size_t kMinSize = probe_record_size(0);
constexpr std::size_t kMaxTcpSize = 16 * 1024 * 1024;
constexpr std::size_t kMaxUdpSize = 65507;
constexpr double kMaxDuration = 86400;
constexpr double kMaxWarmup = 3600;
constexpr double kMinRate = 0.001;
constexpr double kMaxRate = 1e9;

// The problem with the folder a report is to be written in, or "".
std::string check_report_folder(const char* option, const std::string& path) {
  if (path.empty()) return {};
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (folder.empty() || std::filesystem::is_directory(folder, error)) return {};
  return std::string(option) + " " + path + ": folder " + folder.string() + " does not exist";
}

std::string check_ranges(const BenchOptions& o) {
  if (std::string problem = check_report_folder("--json", o.json_path); !problem.empty()) {
    return problem;
  }
  if (std::string problem = check_report_folder("--svg", o.svg_path); !problem.empty()) {
    return problem;
  }
  if (o.gso && !o.udp) return "--gso needs --udp (it batches UDP datagrams)";
  if (o.size < kMinSize) return "--size must be at least 28 (a probe record's header and checksum)";
  if (o.udp && o.size > kMaxUdpSize) return "--size must be at most 65507 with --udp";
  if (!o.udp && o.size > kMaxTcpSize) return "--size must be at most 16777216";
  if (o.threads > o.connections) return "--threads must not exceed --connections";
  // Negated comparisons so that NaN fails them too.
  if (!(o.duration_s > 0 && o.duration_s <= kMaxDuration)) {
    return "--duration must be more than 0 and at most 86400 seconds";
  }
  if (!(o.warmup_s >= 0 && o.warmup_s <= kMaxWarmup)) return "--warmup must be 0-3600 seconds";
  if (!(o.rate == 0 || (o.rate >= kMinRate && o.rate <= kMaxRate))) {
    return "--rate must be 0 (closed loop) or 0.001-1000000000 messages/s";
  }
  if (static_cast<double>(window_of(o)) * static_cast<double>(o.size) > 256.0 * 1024 * 1024) {
    return "--pipeline times --size exceeds 256 MiB per connection";
  }
  return {};
}

}  // namespace

unsigned window_of(const BenchOptions& options) noexcept {
  return options.rate > 0 ? std::max(options.pipeline, 256u) : options.pipeline;
}

std::variant<BenchOptions, int> parse_bench_options(int argc, const char* const* argv,
                                                    std::ostream& out, std::ostream& err) {
  BenchOptions o;
  CLI::App app(kDescription, "echo-bench");
  app.set_version_flag("--version", version_line("echo-bench"));
  long udp_timeout_ms = 250;
  long long size = static_cast<long long>(o.size);  // signed, so "-1" is refused, not wrapped
  app.add_option("TARGET", o.target_text, "host:port or [v6]:port of the echo server")->required();
  app.add_option("-c,--connections", o.connections, "connections (UDP: sockets)")
      ->check(CLI::Range(1u, 100000u));
  app.add_option("-s,--size", size, "bytes per message on the wire, at least 28 (default 64)");
  app.add_option("-p,--pipeline", o.pipeline, "messages in flight per connection (default 1)")
      ->check(CLI::Range(1u, 1u << 20));
  app.add_option("-d,--duration", o.duration_s, "measured seconds (default 3)");
  app.add_option("-w,--warmup", o.warmup_s, "seconds of load before measuring (default 1)");
  app.add_option("-t,--threads", o.threads, "worker threads, each with its own epoll set")
      ->check(CLI::Range(1u, 256u));
  app.add_flag("-u,--udp", o.udp, "UDP datagrams instead of a TCP stream");
  app.add_flag("--gso", o.gso,
               "with --udp: send up to 64 datagrams per sendmsg (UDP GSO, UDP_SEGMENT); "
               "sendmmsg if the kernel refuses");
  app.add_option("-r,--rate", o.rate, "open loop: messages/s over all connections (0: closed)");
  app.add_option("--udp-timeout", udp_timeout_ms, "ms after which a datagram counts as lost")
      ->check(CLI::Range(1L, 60000L));
  app.add_option("--json", o.json_path, "write the results as JSON to this file");
  app.add_option("--svg", o.svg_path, "write the latency percentile chart to this SVG file");
  app.add_flag("-q,--quiet", o.quiet, "no live line on stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << '\n';
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "echo-bench: " << e.what() << " (see --help)\n";
    return kExitUsage;
  }
  o.udp_timeout = std::chrono::milliseconds(udp_timeout_ms);
  o.size = static_cast<std::size_t>(std::max(size, 0LL));  // negative: "at least 28" below
  if (std::string problem = check_ranges(o); !problem.empty()) {
    err << "echo-bench: " << problem << '\n';
    return kExitUsage;
  }
  auto host_port = parse_host_port(o.target_text, std::nullopt, PortRule::kNonZero);
  if (!host_port) {
    err << "echo-bench: " << host_port.error().message << '\n';
    return kExitUsage;
  }
  auto addresses = resolve(*host_port);
  if (!addresses || addresses->empty()) {
    err << "echo-bench: "
        << (addresses ? "no address for " + o.target_text : addresses.error().message) << '\n';
    return kExitUsage;
  }
  o.target = addresses->front();
  return o;
}

}  // namespace echo::bench
