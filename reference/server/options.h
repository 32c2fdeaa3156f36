// The command line of echo-server, parsed into ServerOptions.
//
// Example:
//   auto parsed = parse_options(argc, argv, std::cout, std::cerr);
//   if (auto* code = std::get_if<ExitCode>(&parsed)) return *code;  // --help, or an error printed
//   const ServerOptions& options = std::get<ServerOptions>(parsed);
#pragma once

#include <chrono>
#include <cstddef>
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
};

// Parses argv. Returns the options, or the exit code to leave with after
// --help (printed to `out`, code 0) or a usage error (one line on `err`, code 2).
[[nodiscard]] std::variant<ServerOptions, ExitCode> parse_options(int argc, const char* const* argv,
                                                                  std::ostream& out,
                                                                  std::ostream& err);

}  // namespace echo::server
