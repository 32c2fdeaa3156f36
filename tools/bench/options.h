// The command line of echo-bench, parsed into BenchOptions.
//
// Example:
//   auto parsed = parse_bench_options(argc, argv, std::cout, std::cerr);
//   if (auto* code = std::get_if<int>(&parsed)) return *code;  // --help (0) or a usage error (2)
//   const BenchOptions& options = std::get<BenchOptions>(parsed);
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <variant>

#include "core/address/endpoint.h"

namespace echo::bench {

inline constexpr int kExitOk = 0;
inline constexpr int kExitVerification =
    1;                                // an echo differed from what was sent, or was lost on TCP
inline constexpr int kExitUsage = 2;  // bad command line, or the target is unreachable

struct BenchOptions {
  std::string target_text;  // as typed
  Endpoint target;          // resolved
  unsigned connections = 1;
  std::size_t size = 64;  // bytes per message on the wire: a probe record, at least 28
  unsigned pipeline = 1;  // messages in flight per connection (closed loop)
  double duration_s = 3.0;
  double warmup_s = 1.0;
  unsigned threads = 1;
  bool udp = false;
  double rate = 0;                             // messages/s over all connections; 0: closed loop
  std::chrono::milliseconds udp_timeout{250};  // a datagram not echoed by then is counted lost
  bool gso = false;  // --udp only: send bursts with UDP GSO (sendmsg with UDP_SEGMENT)
  std::string json_path;
  std::string svg_path;
  bool quiet = false;  // no live line
};

// Parses argv. Returns the options, or the exit code after --help (printed to
// `out`, 0) or a usage error (one line on `err`, 2).
[[nodiscard]] std::variant<BenchOptions, int> parse_bench_options(int argc, const char* const* argv,
                                                                  std::ostream& out,
                                                                  std::ostream& err);

// In-flight cap per connection: --pipeline, or at least 256 under --rate, so an
// open-loop sender can fall behind a slow server without stopping.
[[nodiscard]] unsigned window_of(const BenchOptions& options) noexcept;

}  // namespace echo::bench
