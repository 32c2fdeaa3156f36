#include "reference/server/server.h"

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "core/address/transport.h"
#include "reference/server/activation.h"
#include "reference/server/bind.h"
#include "reference/server/counters.h"
#include "reference/server/guard_setup.h"
#include "reference/server/inetd.h"
#include "reference/server/log.h"
#include "reference/server/models.h"
#include "reference/server/privileges.h"
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

// inetd's socket on standard input, if the options let it be served.
Result<InetdSocket> take_inetd(const ServerOptions& options, ExitCode& failure) {
  failure = kExitCannotBind;
  Result<InetdSocket> taken = take_inetd_socket();
  if (!taken) return taken;
  if ((taken->transport == Transport::kTcp && !options.tcp) ||
      (taken->transport == Transport::kUdp && !options.udp)) {
    failure = kExitUsage;
    return Error{std::string("--tcp-only/--udp-only: standard input is a ") +
                     to_string(taken->transport) + " socket",
                 {}};
  }
  return taken;
}

// The service manager's sockets if it passed some, else our own.
Result<BoundSockets> take_or_bind(const ServerOptions& options, const Logger& log,
                                  ExitCode& failure) {
  failure = kExitCannotBind;
  ECHO_ASSIGN_OR_RETURN(std::optional<BoundSockets> passed, take_activated_sockets());
  if (!passed) return bind_sockets(options, log);
  // The passed sockets decide what is served (and what the guard watches).
  if (!options.listen_is_default || !options.tcp || !options.udp) {
    failure = kExitUsage;
    return Error{
        "--listen, --tcp-only and --udp-only cannot be used with sockets passed by a "
        "service manager (LISTEN_FDS)",
        {}};
  }
  return std::move(*passed);
}

// The end of every run: the counters, then the outcome.
ExitCode finish(const Status& served, Counters& counters, const Logger& log) {
  log.warning(format_counters(counters));
  if (!served) {
    log.warning(served.error().message);
    return kExitRuntime;
  }
  return kExitClean;
}

}  // namespace

ExitCode run_server(const ServerOptions& options) {
  const Logger log(options.quiet);
  std::optional<TargetUser> user;
  if (!options.user.empty()) {
    Result<TargetUser> found = look_up_user(options.user);
    if (!found) {
      log.warning(found.error().message);
      return kExitUser;
    }
    user = *found;
  }
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

  std::optional<InetdSocket> inetd;
  std::optional<BoundSockets> sockets;
  if (options.inetd) {
    ExitCode failure = kExitCannotBind;
    Result<InetdSocket> taken = take_inetd(options, failure);
    if (!taken) {
      log.warning(taken.error().message);
      return failure;
    }
    inetd.emplace(std::move(*taken));
  } else {
    ExitCode failure = kExitCannotBind;
    Result<BoundSockets> taken = take_or_bind(options, log, failure);
    if (!taken) {
      log.warning(taken.error().message);
      return failure;
    }
    sockets.emplace(std::move(*taken));
  }
  if (user) {
    if (Status dropped = drop_privileges(*user); !dropped) {
      log.warning(dropped.error().message);
      return kExitUser;
    }
  }

  const GuardSettings guard = inetd ? make_guard_settings(options, {inetd->local.port()})
                                    : make_guard_settings(options, *sockets);
  ConnectionsPerAddress per_address(guard.max_connections_per_address, guard.seed);
  const ServeContext context{options,          **counters, log,        signals->stop_fd(),
                             Syscalls::real(), guard,      per_address};
  if (inetd) return finish(serve_inetd(*inetd, context), **counters, log);

  // Printed only once every socket is ready, so a reader can connect at once.
  for (const std::string& line : sockets->announcements) std::cout << line << '\n';
  std::cout << std::flush;
  log.event("serving with the " + std::string(model_name(options.model)) + " model");
  return finish(serve(options, *sockets, context, *signals), **counters, log);
}

}  // namespace echo::server
