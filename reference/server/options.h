// The command line of echo-server, parsed into ServerOptions.
//
// Example:
//   auto parsed = parse_options(argc, argv, std::cout, std::cerr);
//   if (auto* code = std::get_if<ExitCode>(&parsed)) return *code;  // --help, or an error printed
//   const ServerOptions& options = std::get<ServerOptions>(parsed);
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string_view>
#include <variant>
#include <vector>

#include "core/address/endpoint.h"
#include "reference/server/exit_codes.h"

namespace echo::server {

// How connections are served (see models.h).
enum class Model { kIterative, kFork, kEpoll };

[[nodiscard]] std::string_view model_name(Model model) noexcept;

inline constexpr std::uint16_t kDefaultPort = 7007;
// The per-source-address UDP rate limit's defaults (docs/security.md): they
// apply to sources off this host; loopback sources (benchmarks, the checker)
// are limited only when --udp-rate-limit is given.
inline constexpr double kDefaultUdpRateLimit = 10'000;  // datagrams per second
inline constexpr std::uint32_t kDefaultUdpBurst = 5'000;

struct ServerOptions {
  // Without --listen: 0.0.0.0:7007 and [::]:7007 (IPv6-only, so both can bind).
  std::vector<Endpoint> listen;
  bool listen_is_default = true;  // then an address family the host lacks is skipped
  bool tcp = true;
  bool udp = true;
  Model model = Model::kEpoll;
  unsigned threads = 1;                       // event loops of the epoll model
  std::size_t buffer_size = 64 * 1024;        // per TCP connection
  std::size_t max_connections = 0;            // 0: no limit
  std::chrono::milliseconds idle_timeout{0};  // 0: never
  std::chrono::milliseconds drain_timeout{2000};
  bool quiet = false;
  // Abuse limits (docs/security.md).
  bool udp_loop_guard = true;                           // --no-udp-loop-guard turns it off
  std::vector<std::uint16_t> udp_allowed_source_ports;  // --udp-allow-source-port
  double udp_rate_limit = kDefaultUdpRateLimit;         // per source address; 0: no limit
  std::uint32_t udp_burst = kDefaultUdpBurst;
  bool udp_rate_limit_loopback = false;         // true once --udp-rate-limit is given
  std::size_t max_connections_per_address = 0;  // TCP; 0: no limit
};

// Parses argv. Returns the options, or the exit code to leave with after
// --help (printed to `out`, code 0) or a usage error (one line on `err`, code 2).
[[nodiscard]] std::variant<ServerOptions, ExitCode> parse_options(int argc, const char* const* argv,
                                                                  std::ostream& out,
                                                                  std::ostream& err);

}  // namespace echo::server
