#include "reference/server/activation.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "core/process/listening_line.h"
#include "reference/server/listen_fds.h"
#include "reference/server/passed_socket.h"

namespace echo::server {

Result<BoundSockets> adopt_passed_sockets(int count, Syscalls& syscalls) {
  BoundSockets sockets;
  for (int fd = kListenFdsStart; fd < kListenFdsStart + count; ++fd) {
    Fd owned(fd);  // closed on the way out unless kept
    const std::string name = "passed descriptor " + std::to_string(fd);
    ECHO_ASSIGN_OR_RETURN(const SocketKind kind, describe_socket(fd, name, syscalls));
    if (kind.transport == Transport::kTcp && !kind.listening) {
      return Error{name +
                       " is a TCP connection, not a listener (Accept=yes passes connections: "
                       "use Accept=no, or --inetd)",
                   {}};
    }
    ECHO_TRY(prepare_passed_socket(fd, kind, syscalls));
    sockets.announcements.push_back(format_listening_line(kind.transport, kind.local));
    auto& kept = kind.transport == Transport::kTcp ? sockets.tcp_listeners : sockets.udp_sockets;
    kept.push_back(std::move(owned));
  }
  return sockets;
}

Result<std::optional<BoundSockets>> take_activated_sockets(Syscalls& syscalls) {
  Result<int> count =
      parse_listen_fds(std::getenv("LISTEN_PID"), std::getenv("LISTEN_FDS"), ::getpid());
  for (const char* name : {"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"}) ::unsetenv(name);
  if (!count) return count.error();
  if (*count == 0) return std::optional<BoundSockets>();
  ECHO_ASSIGN_OR_RETURN(BoundSockets sockets, adopt_passed_sockets(*count, syscalls));
  return std::optional<BoundSockets>(std::move(sockets));
}

}  // namespace echo::server
