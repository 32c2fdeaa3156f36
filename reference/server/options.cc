#include "reference/server/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <thread>

#include "core/address/parse.h"

namespace echo::server {
namespace {

constexpr const char* kDescription =
    "echo-server: the reference RFC 862 echo server (TCP and UDP on the same port).\n"
    "Without --listen it listens on 0.0.0.0:7007 and [::]:7007. Port 0 picks a free port;\n"
    "one line per socket is printed on stdout: 'listening tcp|udp ADDRESS:PORT'.";

std::chrono::milliseconds to_milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
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
  double idle_seconds = 0;
  double drain_seconds = 2;
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
  app.add_option("--max-connections", options.max_connections,
                 "stop accepting while this many connections are open (default: 0 = no limit)");
  app.add_option("--idle-timeout", idle_seconds,
                 "close connections idle for this many seconds (default: 0 = never)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--drain-timeout", drain_seconds,
                 "seconds open connections get to finish after SIGINT/SIGTERM (default: 2)")
      ->check(CLI::NonNegativeNumber);
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
  options.idle_timeout = to_milliseconds(idle_seconds);
  options.drain_timeout = to_milliseconds(drain_seconds);
  return options;
}

}  // namespace echo::server
