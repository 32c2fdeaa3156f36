#include "reference/client/connect.h"

#include <string>
#include <vector>

#include "core/net/resolve.h"
#include "core/net/socket.h"

namespace echo::client {
namespace {

std::string server_name(const HostPort& server) {
  bool v6 = server.kind == HostKind::kIpv6;
  return (v6 ? "[" + server.host + "]" : server.host) + ":" + std::to_string(server.port);
}

Result<Fd> open(const ClientConfig& config, const Endpoint& address) {
  if (config.transport == Transport::kUdp) return udp_connect(address);
  return tcp_connect(address, deadline_after(config.timeout));
}

}  // namespace

Deadline deadline_after(Seconds timeout) noexcept {
  return Deadline::after(std::chrono::duration_cast<Deadline::Clock::duration>(timeout));
}

ExitReason connect_to(const ClientConfig& config, Connection& connection) {
  std::string name = server_name(config.server);
  Result<std::vector<Endpoint>> addresses = resolve(config.server);
  if (!addresses) return failure(ExitCode::kUnreachable, addresses.error().message);
  if (addresses->empty()) {
    return failure(ExitCode::kUnreachable,
                   "cannot resolve '" + config.server.host + "': no address");
  }
  // Every attempt's reason, so a name with several addresses explains each failure.
  std::string reasons;
  ExitCode code = ExitCode::kUnreachable;
  for (const Endpoint& address : *addresses) {
    Result<Fd> fd = open(config, address);
    if (fd) {
      connection = Connection{std::move(*fd), address};
      return success();
    }
    code = exit_code_for(fd.error().code);
    if (code == ExitCode::kLocalError) code = ExitCode::kUnreachable;
    reasons += (reasons.empty() ? "" : "; ") + fd.error().message;
  }
  if (addresses->size() == 1) return failure(code, reasons);  // it names the address already
  return failure(code, "no address of " + name + " answered: " + reasons);
}

}  // namespace echo::client
