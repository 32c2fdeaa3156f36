// What every concurrency model needs from the server: the options, the
// counters, the log, the stop signal, and the guard against abuse
// (docs/security.md).
#pragma once

#include "reference/server/counters.h"
#include "reference/server/guard/connections_per_address.h"
#include "reference/server/guard/guard_settings.h"
#include "reference/server/log.h"
#include "reference/server/options.h"

namespace echo::server {

struct ServeContext {
  const ServerOptions& options;
  Counters& counters;
  const Logger& log;
  int stop_fd;                         // readable once SIGINT/SIGTERM arrived (see signals.h)
  const GuardSettings& guard;          // for each DatagramEcho's DatagramGuard
  ConnectionsPerAddress& per_address;  // --max-connections-per-address, shared
};

}  // namespace echo::server
