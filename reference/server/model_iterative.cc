// The iterative model: the lecture's server, made correct. It accepts one
// connection, echoes until the client's end of stream (or a reset, the idle
// timeout, or the drain timeout), then goes back to accept the next one.
// (--max-connections-per-address cannot bind it: one connection is open at most.)
#include <chrono>

#include "reference/server/acceptor.h"
#include "reference/server/models.h"
#include "reference/server/poll_set.h"
#include "reference/server/serve_connection.h"
#include "reference/server/udp_echo.h"

namespace echo::server {

Status run_iterative(BoundSockets& sockets, const ServeContext& context) {
  Acceptor acceptor(context.syscalls, context.counters, context.log);
  DatagramEcho udp(context.syscalls, context.counters, context.guard, &context.log);
  PollSet poll_set(context.syscalls, context.stop_fd, /*child_fd=*/-1, sockets);
  Deadline paused_until = Deadline::after(std::chrono::seconds(0));

  for (;;) {
    const bool accepting = paused_until.expired();
    if (Status s = poll_set.wait(accepting, accepting ? Deadline::never() : paused_until); !s) {
      return s;
    }
    if (poll_set.stop_ready()) return {};  // no connection is open between clients
    for (int fd : poll_set.ready_udp()) udp.serve_ready(fd);
    for (int listener : poll_set.ready_listeners()) {
      Accepted accepted = acceptor.accept(listener);
      if (accepted.kind == Accepted::kPause)
        paused_until = Deadline::after(Acceptor::kPauseInterval);
      if (accepted.kind != Accepted::kConnection) continue;
      add(context.counters.connections_accepted);
      serve_connection(std::move(accepted.connection), accepted.peer, context);
    }
  }
}

}  // namespace echo::server
