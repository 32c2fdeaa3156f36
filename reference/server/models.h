// The three ways echo-server serves connections (--model). All of them drive
// EchoSession for TCP and DatagramEcho for UDP; they differ only in how
// connections share the process.
//
//   iterative  One connection at a time, to completion, in the main loop. UDP
//              and new connections wait until the current TCP client is done:
//              UDP is answered only between TCP clients. For teaching.
//   fork       One child process per connection (serve_connection); the main
//              loop accepts, answers UDP and reaps children on SIGCHLD.
//   epoll      The default: --threads event loops, each with its own epoll
//              instance and connections (see epoll_loop.h).
//
// Each returns once SIGINT/SIGTERM arrived and open connections finished or
// the drain timeout passed; an error only for an unexpected failure.
#pragma once

#include "core/util/result.h"
#include "reference/server/bind.h"
#include "reference/server/context.h"
#include "reference/server/signals.h"

namespace echo::server {

[[nodiscard]] Status run_iterative(BoundSockets& sockets, const ServeContext& context);
[[nodiscard]] Status run_fork(BoundSockets& sockets, const ServeContext& context,
                              const SignalEvents& signals);
[[nodiscard]] Status run_epoll(BoundSockets& sockets, const ServeContext& context);

}  // namespace echo::server
