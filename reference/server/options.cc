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

namespace echo::server {
namespace {

constexpr const char* kDescription =
    "echo-server: the reference RFC 862 echo server (TCP and UDP on the same port).\n"
    "Without --listen it listens on 0.0.0.0:7007 and [::]:7007. Port 0 picks a free port;\n"
    "one line per socket is printed on stdout: 'listening tcp|udp ADDRESS:PORT'.";

constexpr double kMaxTimeoutSeconds = 86400;
constexpr long long kMaxConnections = 1'000'000;

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

// --max-connections as a whole number 0-1000000; else the one-line problem.
std::variant<std::size_t, std::string> parse_max_connections(const std::string& text) {
  long long count = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, count);
  if (text.empty() || (error != std::errc() && error != std::errc::result_out_of_range) ||
      stop != end) {
    return "--max-connections '" + text + "' is not a whole number";
  }
  if (error == std::errc::result_out_of_range || count < 0 || count > kMaxConnections) {
    return "--max-connections " + text + " is out of range 0-1000000";
  }
  return static_cast<std::size_t>(count);
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
  bool tcp_only = false;
  bool udp_only = false;

  CLI::App app(kDescription, "echo-server");
  app.footer(kExitCodesHelp);
  app.add_option("--listen", listen_texts,
                 "ADDRESS:PORT to listen on (repeatable; IPv6 as [::1]:PORT; port 0 = any free)")
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitClean;
  } catch (const CLI::ParseError& e) {
    err << "echo-server: " << one_line(e.what()) << " (see --help)\n";
    return kExitUsage;
  }

  auto max_connections = parse_max_connections(max_connections_text);
  auto idle_seconds = parse_seconds("--idle-timeout", idle_text);
  auto drain_seconds = parse_seconds("--drain-timeout", drain_text);
  for (const std::string* problem :
       {std::get_if<std::string>(&max_connections), std::get_if<std::string>(&idle_seconds),
        std::get_if<std::string>(&drain_seconds)}) {
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
  options.max_connections = std::get<std::size_t>(max_connections);
  options.idle_timeout = to_milliseconds(std::get<double>(idle_seconds));
  options.drain_timeout = to_milliseconds(std::get<double>(drain_seconds));
  return options;
}

}  // namespace echo::server
