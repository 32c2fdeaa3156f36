#include "conformance/cli/options.h"

#include <charconv>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

namespace echo::conformance::cli {

const char* format_name(ReportFormat format) noexcept {
  switch (format) {
    case ReportFormat::kJson:
      return "json";
    case ReportFormat::kJunit:
      return "junit";
    case ReportFormat::kHtml:
      return "html";
  }
  return "?";
}

Result<ReportRequest> parse_report_request(std::string_view text) {
  const auto equals = text.find('=');
  const std::string quoted = "'" + std::string(text) + "'";
  if (equals == std::string_view::npos) {
    return Error{"--report " + quoted + ": expected FORMAT=FILE with FORMAT json, junit or html"};
  }
  const std::string_view format = text.substr(0, equals);
  ReportRequest request;
  request.path = std::string(text.substr(equals + 1));
  if (format == "json") {
    request.format = ReportFormat::kJson;
  } else if (format == "junit") {
    request.format = ReportFormat::kJunit;
  } else if (format == "html") {
    request.format = ReportFormat::kHtml;
  } else {
    return Error{"--report " + quoted + ": unknown format '" + std::string(format) +
                 "' (expected json, junit or html)"};
  }
  if (request.path.empty()) return Error{"--report " + quoted + ": expected a file name after '='"};
  return request;
}

Result<std::vector<ReportRequest>> parse_report_requests(const std::vector<std::string>& texts) {
  std::vector<ReportRequest> requests;
  std::set<std::string> paths;
  for (const std::string& text : texts) {
    ECHO_ASSIGN_OR_RETURN(ReportRequest request, parse_report_request(text));
    if (!paths.insert(request.path).second) {
      return Error{"--report: file '" + request.path +
                   "' is named twice (expected one report per file)"};
    }
    requests.push_back(std::move(request));
  }
  return requests;
}

Result<std::uint64_t> parse_seed(std::string_view text) {
  std::uint64_t seed = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, seed);
  if (text.empty() || error != std::errc() || stop != end) {
    return Error{"--seed '" + std::string(text) +
                 "': expected a whole number 0-18446744073709551615"};
  }
  return seed;
}

Status check_timeout_scale(double scale) {
  if (scale >= kMinTimeoutScale && scale <= kMaxTimeoutScale) return {};  // false for NaN
  std::ostringstream text;
  text << "--timeout-scale " << scale << " is out of range 0.01-1000";
  return Error{text.str()};
}

Result<std::uint64_t> seed_or_random(std::string_view text) {
  if (text.empty()) return random_seed();
  return parse_seed(text);
}

Status check_report_folders(const std::vector<ReportRequest>& requests) {
  for (const ReportRequest& request : requests) {
    const std::filesystem::path folder = std::filesystem::absolute(request.path).parent_path();
    if (!std::filesystem::is_directory(folder)) {
      return Error{"--report " + std::string(format_name(request.format)) + "=" + request.path +
                   ": folder '" + folder.string() + "' does not exist"};
    }
  }
  return {};
}

std::uint64_t random_seed() {
  std::random_device device;
  const std::uint64_t high = device();
  const std::uint64_t low = device();
  return ((high << 32) | low) & ((std::uint64_t{1} << 53) - 1);
}

std::string shell_quote(std::string_view text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789@%+=:,./_-") == std::string_view::npos;
  if (plain) return std::string(text);
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string replay_command(const RunArgs& args, std::uint64_t seed) {
  std::ostringstream out;
  out << "echo-conformance";
  if (!args.targets.empty()) {
    out << " check";
    for (const std::string& target : args.targets) out << ' ' << shell_quote(target);
  }
  if (args.tcp_only) out << " --tcp-only";
  if (args.udp_only) out << " --udp-only";
  for (const std::string& glob : args.cases) out << " --cases " << shell_quote(glob);
  for (const std::string& glob : args.exclude) out << " --exclude " << shell_quote(glob);
  if (args.timeout_scale != 1.0) out << " --timeout-scale " << args.timeout_scale;
  if (args.with_reference) out << " --with-reference";
  if (args.stress) out << " --stress";
  if (args.stress_connections != 1000) out << " --stress-connections " << args.stress_connections;
  out << " --seed " << seed;
  return out.str();
}

}  // namespace echo::conformance::cli
