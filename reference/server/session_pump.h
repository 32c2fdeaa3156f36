// Moving bytes between a non-blocking socket and its EchoSession: receive
// while the session has room, send while it has output, until both would
// block (or the round budget runs out, so one busy connection cannot starve an
// event loop). Resets and other errors end the session (EchoSession::on_error);
// a reset by the peer counts in Counters::resets, any other error in errors.
//
// A receive that fills less than the space offered ends the pump: the socket
// is drained, and with level-triggered readiness the next wake-up reports more
// (this saves the recv() that would only return EAGAIN).
//
// With a scratch buffer, a session that holds nothing takes the fast path:
// recv() into the scratch, send() straight from it, and only the unsent rest
// is copied into the session (EchoSession::on_echoed), so ping-pong traffic
// never touches a per-connection buffer.
//
// Every receive and send goes through the Syscalls seam given (syscalls.h).
//
// Example:
//   if (pump_session(context.syscalls, fd, session, counters, scratch)) last_progress = now;
//   if (session.should_close()) close(fd);
#pragma once

#include <cstddef>
#include <span>

#include "core/net/syscalls.h"
#include "core/session/echo_session.h"
#include "reference/server/counters.h"

namespace echo::server {

// Returns whether anything happened (bytes moved, end of stream or an error seen).
bool pump_session(Syscalls& syscalls, int fd, EchoSession& session, Counters& counters,
                  std::span<std::byte> scratch = {}, int max_rounds = 1 << 30);

}  // namespace echo::server
