// What every concurrency model needs from the server: the options, the
// counters, the log, the stop signal, the system-call seam its I/O goes
// through (Syscalls::real() in echo-server; a fake in tests and fuzzers, see
// core/net/syscalls.h), and the guard against abuse (docs/security.md).
//
// Example:
//   const ServeContext context{options, counters, log, signals->stop_fd(), Syscalls::real(),
//                              guard, per_address};
//   Status served = run_epoll(sockets, context);
#pragma once

#include "core/net/syscalls.h"
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
  Syscalls& syscalls;                  // every system call on the sockets goes through it
  const GuardSettings& guard;          // for each DatagramEcho's DatagramGuard
  ConnectionsPerAddress& per_address;  // --max-connections-per-address, shared
};

}  // namespace echo::server
