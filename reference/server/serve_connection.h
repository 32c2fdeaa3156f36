// One TCP connection served to completion with poll(): the whole of the
// iterative model's connection handling, and what each child of the fork
// model runs. The same EchoSession drives it as in the epoll model.
//
// The connection ends when the peer has shut down its side and everything was
// echoed, on an error or reset, after --idle-timeout without progress, or when
// the drain period after SIGINT/SIGTERM runs out.
//
// Example:
//   Accepted a = acceptor.accept(listener);
//   serve_connection(std::move(a.connection), a.peer, context);
#pragma once

#include "core/address/endpoint.h"
#include "core/net/fd.h"
#include "reference/server/context.h"

namespace echo::server {

void serve_connection(Fd connection, const Endpoint& peer, const ServeContext& context);

}  // namespace echo::server
