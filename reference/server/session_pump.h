// Moving bytes between a non-blocking socket and its EchoSession: receive
// while the session has room, send while it has output, until both would
// block (or the round budget runs out, so one busy connection cannot starve an
// event loop). Resets and other errors end the session (EchoSession::on_error).
//
// Example:
//   if (pump_session(fd, session, counters)) last_progress = now;
//   if (session.should_close()) close(fd);
#pragma once

#include "core/session/echo_session.h"
#include "reference/server/counters.h"

namespace echo::server {

// Returns whether anything happened (bytes moved, end of stream or an error seen).
bool pump_session(int fd, EchoSession& session, Counters& counters, int max_rounds = 1 << 30);

}  // namespace echo::server
