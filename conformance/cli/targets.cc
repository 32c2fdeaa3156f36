#include "conformance/cli/targets.h"

#include <chrono>
#include <set>

#include "core/address/parse.h"
#include "core/net/resolve.h"
#include "core/net/socket.h"

namespace echo::conformance::cli {
namespace {

constexpr std::chrono::milliseconds kConnectTimeout{2000};

constexpr std::string_view kNameCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

bool is_reserved(std::string_view name) { return name == "reference" || name == "reference-v6"; }

}  // namespace

Result<TargetSpec> parse_target_spec(std::string_view text) {
  TargetSpec spec{std::string(text), std::string(text), std::string(text)};
  const std::string named = "target '" + spec.typed + "'";
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) return spec;
  spec.name = std::string(text.substr(0, equals));
  spec.address = std::string(text.substr(equals + 1));
  if (spec.name.empty()) return Error{named + ": expected a name before '=' (NAME=HOST:PORT)"};
  if (spec.name.find_first_not_of(kNameCharacters) != std::string::npos) {
    return Error{named + ": name '" + spec.name +
                 "' may hold only letters, digits, '.', '_' and '-'"};
  }
  if (spec.address.empty()) return Error{named + ": expected HOST:PORT after '='"};
  return spec;
}

Result<std::vector<TargetSpec>> parse_target_specs(const std::vector<std::string>& texts) {
  std::vector<TargetSpec> specs;
  std::set<std::string> names;
  for (const std::string& text : texts) {
    ECHO_ASSIGN_OR_RETURN(TargetSpec spec, parse_target_spec(text));
    if (is_reserved(spec.name)) {
      return Error{"target '" + text + "': the name '" + spec.name +
                   "' is our reference server's (use --with-reference for it)"};
    }
    if (!names.insert(spec.name).second) {
      if (spec.name == text) return Error{"target '" + text + "' is named twice"};
      return Error{"target '" + text + "': the name '" + spec.name +
                   "' is used twice (expected one name per target)"};
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

bool connect_reached_server(std::error_code error) {
  return !error || error == std::errc::connection_reset || error == std::errc::connection_aborted ||
         error == std::errc::broken_pipe;
}

Result<Endpoint> first_reachable(const std::vector<Endpoint>& addresses, double timeout_scale) {
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(kConnectTimeout * timeout_scale);
  std::string reasons;
  for (const Endpoint& address : addresses) {
    Result<Fd> connection = tcp_connect(address, Deadline::after(timeout));
    if (connection || connect_reached_server(connection.error().code)) return address;
    reasons += (reasons.empty() ? "" : "; ") + connection.error().message;
  }
  return Error{reasons};
}

Result<Target> prepare_target(const TargetSpec& spec, const TargetOptions& options) {
  const std::string named = "target '" + spec.typed + "'";
  ECHO_ASSIGN_OR_RETURN(
      const HostPort host_port,
      parse_host_port(spec.address, std::nullopt, PortRule::kNonZero).with_context(named));
  ECHO_ASSIGN_OR_RETURN(const std::vector<Endpoint> addresses,
                        resolve(host_port).with_context(named));
  if (addresses.empty()) return Error{named + ": the name has no IPv4 or IPv6 address"};
  Target target{spec.name, addresses.front(), false};
  if (!options.probe_tcp) return target;
  Result<Endpoint> reachable = first_reachable(addresses, options.timeout_scale);
  if (!reachable) {
    return Error{named + " is unreachable: " + reachable.error().message +
                 " (is an echo server listening there? UDP alone can be checked with --udp-only)"};
  }
  target.address = *reachable;
  return target;
}

}  // namespace echo::conformance::cli
