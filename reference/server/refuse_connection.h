// What the server does with a connection over --max-connections-per-address:
// it was accepted (so it leaves the shared backlog and cannot hold up clients
// from other addresses), and is closed at once with a reset (SO_LINGER 0).
//
// Why a reset rather than an orderly close: the client learns at once that it
// was refused (ECONNRESET on its next read or write) instead of seeing an end
// of stream that looks like an echo server that had nothing to say; no data is
// read; and the server keeps no FIN_WAIT/TIME_WAIT state for connections it
// never served, however many one address opens. Counted in
// connections_refused_per_address; logged one line per second at most.
//
// Example:
//   if (!per_address.try_add(peer)) refuse_connection(std::move(socket), peer, counters, log);
#pragma once

#include "core/address/endpoint.h"
#include "core/net/fd.h"
#include "reference/server/counters.h"
#include "reference/server/log.h"

namespace echo::server {

void refuse_connection(Fd connection, const Endpoint& peer, Counters& counters, const Logger& log);

}  // namespace echo::server
