// The command line of echo-soak (see docs/security.md, "Soak").
//
// Example:
//   auto parsed = parse_soak_options(argc, argv, std::cout, std::cerr);
//   if (auto* code = std::get_if<int>(&parsed)) return *code;
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

#include "core/address/endpoint.h"

namespace echo::soak {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;   // a pass criterion failed
inline constexpr int kExitUsage = 2;  // usage, not loopback, cannot start, too few descriptors

struct SoakOptions {
  std::vector<std::string> server_command;  // spawned; or attach to target + pid
  Endpoint target;
  pid_t pid = 0;
  double duration_s = 600;
  double warmup_s = 60;
  std::size_t idle = 10'000;
  double churn_rate = 200;  // cycles per second
  std::size_t churn_concurrency = 16;
  double reset_rate = 20;
  std::size_t non_readers = 4;
  double stall_s = 2;
  std::size_t udp_sources = 4;
  double udp_rate = 5'000;      // datagrams per second per source
  std::size_t udp_window = 16;  // 4 x 16 x 1400 B fits the server's default receive buffer
  long rss_limit_kib = 1024;
  std::string json_path;
  std::string svg_path;
  bool quiet = false;
};

[[nodiscard]] std::variant<SoakOptions, int> parse_soak_options(int argc, char** argv,
                                                                std::ostream& out,
                                                                std::ostream& err);

}  // namespace echo::soak
