// The options of a conformance run as typed on the command line, and the
// small parsers behind them. Parsers never throw: bad input gives an Error
// naming what was wrong and what was expected.
//
// Example:
//   auto request = parse_report_request("junit=out/results.xml");
//   // request->format == ReportFormat::kJunit, request->path == "out/results.xml"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace echo::conformance::cli {

enum class ReportFormat { kJson, kJunit, kHtml };

struct ReportRequest {
  ReportFormat format = ReportFormat::kJson;
  std::string path;
};

struct RunArgs {
  std::vector<std::string> targets;  // as typed: "host:port" or "[v6]:port"
  bool tcp_only = false;
  bool udp_only = false;
  std::vector<std::string> cases;    // include globs
  std::vector<std::string> exclude;  // exclude globs
  double timeout_scale = 1.0;
  std::string seed_text;  // empty: a random seed
  unsigned jobs = 4;
  bool with_reference = false;
  std::vector<std::string> reports;  // "FORMAT=FILE" as typed
  std::string record_corpus;         // --record-corpus DIR; empty: not recording
  bool no_progress = false;
  bool quiet = false;
  bool stress = false;            // --stress: the opt-in cases too
  int stress_connections = 1000;  // --stress-connections N
};

inline constexpr unsigned kMaxJobs = 64;
inline constexpr int kMaxStressConnections = 60000;  // about the ephemeral ports of one address
inline constexpr double kMinTimeoutScale = 0.01;
inline constexpr double kMaxTimeoutScale = 1000;

[[nodiscard]] const char* format_name(ReportFormat format) noexcept;

// "json=FILE", "junit=FILE" or "html=FILE".
[[nodiscard]] Result<ReportRequest> parse_report_request(std::string_view text);

// All --report values; also refuses one file named twice.
[[nodiscard]] Result<std::vector<ReportRequest>> parse_report_requests(
    const std::vector<std::string>& texts);

// A decimal seed 0-18446744073709551615.
[[nodiscard]] Result<std::uint64_t> parse_seed(std::string_view text);

// --seed as given, or random_seed() when it was not.
[[nodiscard]] Result<std::uint64_t> seed_or_random(std::string_view text);

// Every report goes to a folder that exists ("--report html=out/r.html: folder
// '/abs/out' does not exist"), so a long run does not end in a write error.
[[nodiscard]] Status check_report_folders(const std::vector<ReportRequest>& requests);

// --timeout-scale: a finite number 0.01-1000, so that scaled deadlines stay representable.
[[nodiscard]] Status check_timeout_scale(double scale);

// A random seed below 2^53, so that it survives every JSON parser exactly.
[[nodiscard]] std::uint64_t random_seed();

// `text` quoted for a POSIX shell when it needs to be ('it''s' style).
[[nodiscard]] std::string shell_quote(std::string_view text);

// The command that repeats this run with the same seed and selection, e.g.
// "echo-conformance check 127.0.0.1:7 --cases 'tcp.*' --seed 42".
[[nodiscard]] std::string replay_command(const RunArgs& args, std::uint64_t seed);

}  // namespace echo::conformance::cli
