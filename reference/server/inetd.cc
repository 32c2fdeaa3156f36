#include "reference/server/inetd.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/net/deadline.h"
#include "core/net/socket.h"
#include "reference/server/passed_socket.h"
#include "reference/server/serve_connection.h"
#include "reference/server/signals.h"
#include "reference/server/udp_echo.h"

namespace echo::server {
namespace {

bool same_file(int a, int b) {
  struct stat first {};
  struct stat second {};
  return ::fstat(a, &first) == 0 && ::fstat(b, &second) == 0 && first.st_dev == second.st_dev &&
         first.st_ino == second.st_ino;
}

// Points descriptors 0, 1 (and 2 when they share the socket) at /dev/null.
Status release_standard_descriptors() {
  const bool output_is_socket = same_file(STDIN_FILENO, STDOUT_FILENO);
  const bool errors_are_socket = same_file(STDIN_FILENO, STDERR_FILENO);
  Fd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null) return system_error("cannot open /dev/null", errno);
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (fd == STDOUT_FILENO && !output_is_socket) continue;
    if (fd == STDERR_FILENO && !errors_are_socket) continue;
    if (::dup2(null.get(), fd) < 0) return system_error("cannot redirect to /dev/null", errno);
  }
  return {};
}

Status serve_datagrams(int fd, const ServeContext& context) {
  DatagramEcho udp(context.syscalls, context.counters, context.guard, &context.log);
  const auto idle = context.options.idle_timeout.count() > 0
                        ? context.options.idle_timeout
                        : std::chrono::duration_cast<std::chrono::milliseconds>(kInetdUdpIdle);
  Deadline until = Deadline::after(idle);
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {context.stop_fd, POLLIN, 0}};
    const int ready = context.syscalls.poll(fds, 2, until.poll_timeout_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return system_error("poll", errno);
    if ((fds[1].revents & POLLIN) != 0) return {};
    if ((fds[0].revents & (POLLERR | POLLNVAL)) != 0) return Error{"the UDP socket failed", {}};
    if ((fds[0].revents & POLLIN) != 0) {
      udp.serve_ready(fd);
      until = Deadline::after(idle);
      continue;
    }
    if (until.expired()) {
      context.log.event("idle: handing the UDP socket back to inetd");
      return {};
    }
  }
}

}  // namespace

Result<InetdSocket> take_inetd_socket() {
  Result<SocketKind> kind = describe_socket(STDIN_FILENO, "standard input");
  if (!kind) return Error{kind.error().message + " (--inetd serves the socket inetd passes)", {}};
  if (kind->transport == Transport::kTcp && kind->listening) {
    return Error{
        "standard input is a listening TCP socket: --inetd serves one connection "
        "(inetd 'nowait'); use socket activation for a listener",
        {}};
  }
  InetdSocket inetd{Fd(::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)),
                    kind->transport,
                    kind->local,
                    {}};
  if (!inetd.socket) return system_error("cannot duplicate standard input", errno);
  ECHO_TRY(prepare_passed_socket(inetd.socket.get(), *kind));
  if (inetd.transport == Transport::kTcp) {
    // A peer that reset before we started has no address: serve_connection sees the reset.
    if (Result<Endpoint> peer = peer_endpoint(inetd.socket.get())) inetd.peer = *peer;
  }
  ECHO_TRY(release_standard_descriptors());
  return inetd;
}

Status serve_inetd(InetdSocket& inetd, const ServeContext& context) {
  if (inetd.transport == Transport::kUdp) return serve_datagrams(inetd.socket.get(), context);
  add(context.counters.connections_accepted);
  serve_connection(std::move(inetd.socket), inetd.peer, context);
  return {};
}

}  // namespace echo::server
