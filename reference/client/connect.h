// Reaching the server: resolve its name (core/net/resolve.h) and try each
// address in order, each attempt with its own --timeout, until one works.
//
// Example:
//   Connection connection;
//   ExitReason reason = connect_to(config, connection);
//   if (!reason.ok()) return reason;  // kUnreachable or kTimeout, one line naming the server
//   send_some(connection.fd.get(), data);
#pragma once

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "reference/client/config.h"
#include "reference/client/exit_reason.h"

namespace echo::client {

struct Connection {
  Fd fd;          // non-blocking; TCP connected, or UDP connected to `peer`
  Endpoint peer;  // the address that answered
};

// A deadline `timeout` from now.
[[nodiscard]] Deadline deadline_after(Seconds timeout) noexcept;

// A TCP or UDP (per config.transport) socket connected to config.server.
[[nodiscard]] ExitReason connect_to(const ClientConfig& config, Connection& connection);

}  // namespace echo::client
