#include "conformance/cli/targets.h"

#include <chrono>

#include "core/address/parse.h"
#include "core/net/resolve.h"
#include "core/net/socket.h"

namespace echo::conformance::cli {
namespace {

constexpr std::chrono::milliseconds kConnectTimeout{2000};

// The first address that accepts a TCP connection, or why none did.
Result<Endpoint> first_reachable(const std::vector<Endpoint>& addresses, double timeout_scale) {
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(kConnectTimeout * timeout_scale);
  std::string reasons;
  for (const Endpoint& address : addresses) {
    Result<Fd> connection = tcp_connect(address, Deadline::after(timeout));
    if (connection) return address;
    reasons += (reasons.empty() ? "" : "; ") + connection.error().message;
  }
  return Error{reasons};
}

}  // namespace

Result<Target> prepare_target(const std::string& text, const TargetOptions& options) {
  const std::string named = "target '" + text + "'";
  Result<HostPort> host_port = parse_host_port(text, std::nullopt, PortRule::kNonZero);
  if (!host_port) return Error{named + ": " + host_port.error().message};
  Result<std::vector<Endpoint>> addresses = resolve(*host_port);
  if (!addresses) return Error{named + ": " + addresses.error().message};
  if (addresses->empty()) return Error{named + ": the name has no IPv4 or IPv6 address"};
  Target target{text, addresses->front(), false};
  if (!options.probe_tcp) return target;
  Result<Endpoint> reachable = first_reachable(*addresses, options.timeout_scale);
  if (!reachable) {
    return Error{named + " is unreachable: " + reachable.error().message +
                 " (is an echo server listening there? UDP alone can be checked with --udp-only)"};
  }
  target.address = *reachable;
  return target;
}

}  // namespace echo::conformance::cli
