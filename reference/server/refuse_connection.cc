#include "reference/server/refuse_connection.h"

#include <string>

#include "core/net/socket.h"

namespace echo::server {
namespace {

// One limit for the whole process: every loop may be refusing the same client.
RateLimit& refusal_lines() {
  static RateLimit limit(std::chrono::seconds(1));
  return limit;
}

}  // namespace

void refuse_connection(Fd connection, const Endpoint& peer, Counters& counters, const Logger& log) {
  if (!set_linger_reset(connection.get())) add(counters.errors);  // still closed, with a FIN
  connection.reset();
  add(counters.connections_refused_per_address);
  if (refusal_lines().allow()) {
    log.warning("tcp: refused a connection from " + peer.to_string() +
                ": --max-connections-per-address reached (closed with a reset)");
  }
}

}  // namespace echo::server
