#include "reference/server/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/address/parse.h"
#include "core/version/version.h"

namespace echo::server {
namespace {

constexpr const char* kDescription =
    "echo-server: the reference RFC 862 echo server (TCP and UDP on the same port).\n"
    "Without --listen it listens on 0.0.0.0:7007 and [::]:7007. Port 0 picks a free port;\n"
    "one line per socket is printed on stdout: 'listening tcp|udp ADDRESS:PORT'.";

constexpr double kMaxTimeoutSeconds = 86400;
constexpr long long kMaxConnections = 1'000'000;
constexpr long long kMaxDatagramRate = 1'000'000'000;

// `seconds` is finite and within 0-kMaxTimeoutSeconds (see parse_seconds).
std::chrono::milliseconds to_milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
}

// `text` of option `name` as seconds 0-86400; else the one-line problem.
std::variant<double, std::string> parse_seconds(const char* name, const std::string& text) {
  const std::string range = std::string(name) + " " + text + " is out of range 0-86400 seconds";
  double seconds = 0;
  try {
    std::size_t used = 0;
    seconds = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
  } catch (const std::out_of_range&) {
    return range;
  } catch (const std::invalid_argument&) {
    return std::string(name) + " '" + text + "' is not a number of seconds";
  }
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxTimeoutSeconds) return range;
  return seconds;
}

// `text` of option `name` as a whole number within [low, high]; else the one-line problem.
std::variant<long long, std::string> parse_whole_number(const char* name, const std::string& text,
                                                        long long low, long long high) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || (error != std::errc() && error != std::errc::result_out_of_range) ||
      stop != end) {
    return std::string(name) + " '" + text + "' is not a whole number";
  }
  if (error == std::errc::result_out_of_range || value < low || value > high) {
    return std::string(name) + " " + text + " is out of range " + std::to_string(low) + "-" +
           std::to_string(high);
  }
  return value;
}

Model model_from_name(const std::string& name) {
  if (name == "iterative") return Model::kIterative;
  if (name == "fork") return Model::kFork;
  return Model::kEpoll;
}

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

// CLI11 messages are one line already; this guarantees it.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::vector<Endpoint> default_listen() {
  Endpoint any_v4 = Endpoint::v4(in_addr{htonl(INADDR_ANY)}, kDefaultPort);
  Endpoint any_v6 = Endpoint::v6(in6addr_any, kDefaultPort);
  return {any_v4, any_v6};
}

}  // namespace

std::string_view model_name(Model model) noexcept {
  switch (model) {
    case Model::kIterative:
      return "iterative";
    case Model::kFork:
      return "fork";
    case Model::kEpoll:
      return "epoll";
  }
  return "epoll";
}

std::variant<ServerOptions, ExitCode> parse_options(int argc, const char* const* argv,
                                                    std::ostream& out, std::ostream& err) {
  ServerOptions options;
  options.threads = default_threads();
  std::vector<std::string> listen_texts;
  std::string model = "epoll";
  std::string idle_text = "0";
  std::string drain_text = "2";
  std::string max_connections_text = "0";
  std::string per_address_text = "0";
  std::vector<std::string> allowed_port_texts;
  std::string rate_text = std::to_string(static_cast<long long>(kDefaultUdpRateLimit));
  std::string burst_text = std::to_string(kDefaultUdpBurst);
  bool no_loop_guard = false;
  bool tcp_only = false;
  bool udp_only = false;

  CLI::App app(kDescription, "echo-server");
  app.footer(kExitCodesHelp);
  app.set_version_flag("--version", version_line("echo-server"));
  auto* listen_option =
      app.add_option("--listen", listen_texts,
                     "ADDRESS:PORT to listen on (repeatable; IPv6 as [::1]:PORT; port 0 = any "
                     "free). Sockets passed by a service manager (LISTEN_FDS) are used instead")
          ->allow_extra_args(false);
  auto* tcp_flag = app.add_flag("--tcp-only", tcp_only, "serve TCP only");
  app.add_flag("--udp-only", udp_only, "serve UDP only")->excludes(tcp_flag);
  app.add_option("--model", model, "iterative | fork | epoll (default: epoll)")
      ->check(CLI::IsMember({"iterative", "fork", "epoll"}));
  app.add_option("--threads", options.threads,
                 "event loops of the epoll model (default: hardware concurrency)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--buffer-size", options.buffer_size,
                 "bytes buffered per TCP connection before reading pauses (default: 65536)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  app.add_option("--max-connections", max_connections_text,
                 "stop accepting while this many connections are open, 0-1000000 (default: 0 = "
                 "no limit)")
      ->type_name("UINT");
  app.add_option("--idle-timeout", idle_text,
                 "close connections idle for this many seconds, 0-86400 (default: 0 = never)")
      ->type_name("SECONDS");
  app.add_option("--drain-timeout", drain_text,
                 "seconds open connections get to finish after SIGINT/SIGTERM, 0-86400 "
                 "(default: 2)")
      ->type_name("SECONDS");
  app.add_flag("--quiet", options.quiet, "no per-connection log lines on stderr");
  app.add_option("--max-connections-per-address", per_address_text,
                 "TCP connections one source address (IPv6: one /64) may hold open; more are "
                 "reset at once, 0-1000000 (default: 0 = no limit)")
      ->type_name("UINT");
  app.add_flag("--no-udp-loop-guard", no_loop_guard,
               "answer datagrams from any source: from this server's own ports, from ports of "
               "services that answer anything (echo, chargen, DNS, NTP, ...), from broadcast "
               "addresses, and our own echoes coming back (a loop)");
  app.add_option("--udp-allow-source-port", allowed_port_texts,
                 "answer datagrams from this source port although the loop guard refuses it "
                 "(repeatable), 1-65535")
      ->type_name("PORT")
      ->allow_extra_args(false);
  app.add_option("--udp-rate-limit", rate_text,
                 "datagrams per second answered per source address (IPv6: per /64), 0 = no "
                 "limit; given, it applies to loopback sources too (default: 10000, for "
                 "sources off this host)")
      ->type_name("RATE");
  app.add_option("--udp-burst", burst_text,
                 "datagrams answered at once from a source within its rate limit, "
                 "1-1000000000 (default: 5000)")
      ->type_name("COUNT");

  app.add_flag("--inetd", options.inetd,
               "serve the socket inetd passes on standard input, then exit: one TCP connection "
               "(nowait), or UDP datagrams until idle for --idle-timeout or 10 s (wait)")
      ->excludes(listen_option);
  app.add_option("--user", options.user,
                 "started as root: become this user (and its group) once the sockets are bound")
      ->type_name("NAME");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitClean;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << '\n';
    return kExitClean;
  } catch (const CLI::ParseError& e) {
    err << "echo-server: " << one_line(e.what()) << " (see --help)\n";
    return kExitUsage;
  }

  auto max_connections =
      parse_whole_number("--max-connections", max_connections_text, 0, kMaxConnections);
  auto per_address =
      parse_whole_number("--max-connections-per-address", per_address_text, 0, kMaxConnections);
  auto rate = parse_whole_number("--udp-rate-limit", rate_text, 0, kMaxDatagramRate);
  auto burst = parse_whole_number("--udp-burst", burst_text, 1, kMaxDatagramRate);
  auto idle_seconds = parse_seconds("--idle-timeout", idle_text);
  auto drain_seconds = parse_seconds("--drain-timeout", drain_text);
  std::vector<std::variant<long long, std::string>> ports;
  ports.reserve(allowed_port_texts.size());
  for (const std::string& text : allowed_port_texts) {
    ports.push_back(parse_whole_number("--udp-allow-source-port", text, 1, 65535));
  }
  std::vector<const std::string*> problems = {std::get_if<std::string>(&max_connections),
                                              std::get_if<std::string>(&per_address),
                                              std::get_if<std::string>(&rate),
                                              std::get_if<std::string>(&burst),
                                              std::get_if<std::string>(&idle_seconds),
                                              std::get_if<std::string>(&drain_seconds)};
  for (const auto& port : ports) problems.push_back(std::get_if<std::string>(&port));
  for (const std::string* problem : problems) {
    if (problem) {
      err << "echo-server: " << one_line(*problem) << '\n';
      return kExitUsage;
    }
  }

  for (const std::string& text : listen_texts) {
    Result<Endpoint> endpoint = parse_endpoint(text, kDefaultPort, PortRule::kZeroMeansAny);
    if (!endpoint) {
      err << "echo-server: --listen '" << text << "': " << one_line(endpoint.error().message)
          << "; expected ADDRESS:PORT with a numeric address and a port 0-65535\n";
      return kExitUsage;
    }
    options.listen.push_back(*endpoint);
  }
  options.listen_is_default = options.listen.empty();
  if (options.listen_is_default) options.listen = default_listen();

  options.tcp = !udp_only;
  options.udp = !tcp_only;
  options.model = model_from_name(model);
  options.max_connections = static_cast<std::size_t>(std::get<long long>(max_connections));
  options.max_connections_per_address = static_cast<std::size_t>(std::get<long long>(per_address));
  options.udp_loop_guard = !no_loop_guard;
  for (const auto& port : ports) {
    options.udp_allowed_source_ports.push_back(
        static_cast<std::uint16_t>(std::get<long long>(port)));
  }
  options.udp_rate_limit = static_cast<double>(std::get<long long>(rate));
  options.udp_burst = static_cast<std::uint32_t>(std::get<long long>(burst));
  options.udp_rate_limit_loopback = app.count("--udp-rate-limit") > 0;
  options.idle_timeout = to_milliseconds(std::get<double>(idle_seconds));
  options.drain_timeout = to_milliseconds(std::get<double>(drain_seconds));
  return options;
}

}  // namespace echo::server
