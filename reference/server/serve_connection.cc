#include "reference/server/serve_connection.h"

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>

#include "core/net/deadline.h"
#include "core/session/echo_session.h"
#include "reference/server/session_pump.h"
#include "reference/server/signals.h"

namespace echo::server {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

void serve_connection(Fd connection, const Endpoint& peer, const ServeContext& context) {
  const ServerOptions& options = context.options;
  EchoSession session(options.buffer_size);
  const bool idle_limit = options.idle_timeout.count() > 0;
  Clock::time_point last_progress = Clock::now();
  std::optional<Deadline> drain;  // set once SIGINT/SIGTERM arrives
  if (SignalEvents::stop_requested(context.stop_fd)) drain = Deadline::after(options.drain_timeout);
  context.log.event("accepted " + peer.to_string());

  const char* why = "closed";
  while (!session.should_close()) {
    Deadline deadline = drain.value_or(Deadline::never());
    if (idle_limit) deadline = deadline.min(Deadline::at(last_progress + options.idle_timeout));

    short events = 0;
    if (session.wants_read()) events |= POLLIN;
    if (session.wants_write()) events |= POLLOUT;
    pollfd fds[2] = {{connection.get(), events, 0}, {context.stop_fd, POLLIN, 0}};
    const nfds_t count = drain ? 1 : 2;
    const int ready = context.syscalls.poll(fds, count, deadline.poll_timeout_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      add(context.counters.errors);
      why = "failed (poll)";
      break;
    }
    if (count == 2 && (fds[1].revents & POLLIN) != 0)
      drain = Deadline::after(options.drain_timeout);
    if (fds[0].revents != 0 &&
        pump_session(context.syscalls, connection.get(), session, context.counters)) {
      last_progress = Clock::now();
      continue;
    }
    if (drain && drain->expired()) {
      why = "closed (drain timeout)";
      break;
    }
    if (idle_limit && Clock::now() >= last_progress + options.idle_timeout) {
      why = "closed (idle timeout)";
      break;
    }
  }
  context.log.event(std::string(why) + " " + peer.to_string() + " after " +
                    std::to_string(session.bytes_received()) + " bytes");
}

}  // namespace echo::server
