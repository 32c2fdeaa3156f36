// Binding every socket the server listens on: per --listen address a TCP
// listener and a UDP socket on the same port. With port 0 the kernel picks the
// TCP port and the UDP socket takes the same one (retried with a new port if
// another program holds it for UDP).
//
// Example:
//   Result<BoundSockets> bound = bind_sockets(options, log);
//   if (!bound) { std::cerr << bound.error().message << '\n'; return kExitCannotBind; }
//   for (const std::string& line : bound->announcements) std::cout << line << '\n';
#pragma once

#include <string>
#include <vector>

#include "core/net/fd.h"
#include "core/util/result.h"
#include "reference/server/log.h"
#include "reference/server/options.h"

namespace echo::server {

struct BoundSockets {
  std::vector<Fd> tcp_listeners;
  std::vector<Fd> udp_sockets;  // IP_PKTINFO/IPV6_RECVPKTINFO on, to reply from the right address
  std::vector<std::string> announcements;  // "listening tcp 127.0.0.1:41234", in bind order
};

// Binds everything or nothing. When the listen addresses are the defaults, an
// address family the host does not support (no IPv6) is skipped with a warning.
[[nodiscard]] Result<BoundSockets> bind_sockets(const ServerOptions& options, const Logger& log);

}  // namespace echo::server
