#include "reference/server/server.h"

#include <cstdio>
#include <iostream>
#include <string>

#include "reference/server/bind.h"
#include "reference/server/counters.h"
#include "reference/server/guard_setup.h"
#include "reference/server/log.h"
#include "reference/server/models.h"
#include "reference/server/signals.h"

namespace echo::server {
namespace {

Status serve(const ServerOptions& options, BoundSockets& sockets, const ServeContext& context,
             const SignalEvents& signals) {
  switch (options.model) {
    case Model::kIterative:
      return run_iterative(sockets, context);
    case Model::kFork:
      return run_fork(sockets, context, signals);
    case Model::kEpoll:
      return run_epoll(sockets, context);
  }
  return Error{"unknown model", {}};
}

}  // namespace

ExitCode run_server(const ServerOptions& options) {
  const Logger log(options.quiet);
  Result<SignalEvents> signals = SignalEvents::install();
  if (!signals) {
    log.warning(signals.error().message);
    return kExitRuntime;
  }
  Result<SharedCounters> counters = SharedCounters::create();
  if (!counters) {
    log.warning(counters.error().message);
    return kExitRuntime;
  }
  Result<BoundSockets> sockets = bind_sockets(options, log);
  if (!sockets) {
    log.warning(sockets.error().message);
    return kExitCannotBind;
  }

  // Printed only once every socket is bound, so a reader can connect at once.
  for (const std::string& line : sockets->announcements) std::cout << line << '\n';
  std::cout << std::flush;

  const GuardSettings guard = make_guard_settings(options, *sockets);
  ConnectionsPerAddress per_address(guard.max_connections_per_address, guard.seed);
  const ServeContext context{options,     **counters, log, signals->stop_fd(), Syscalls::real(),
                             guard,       per_address};
  log.event("serving with the " + std::string(model_name(options.model)) + " model");
  const Status served = serve(options, *sockets, context, *signals);
  log.warning(format_counters(**counters));
  if (!served) {
    log.warning(served.error().message);
    return kExitRuntime;
  }
  return kExitClean;
}

}  // namespace echo::server
