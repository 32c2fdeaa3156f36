#include "reference/server/passed_socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/net/socket.h"
#include "reference/server/udp_echo.h"

namespace echo::server {
namespace {

Result<int> int_option(int fd, const std::string& name, int option, const char* what,
                       Syscalls& syscalls) {
  int value = 0;
  socklen_t length = sizeof value;
  if (syscalls.getsockopt(fd, SOL_SOCKET, option, &value, &length) != 0) {
    if (errno == ENOTSOCK) return Error{name + " is not a socket", {}};
    return system_error(name + ": " + what, errno);
  }
  return value;
}

}  // namespace

Result<SocketKind> describe_socket(int fd, const std::string& name, Syscalls& syscalls) {
  ECHO_ASSIGN_OR_RETURN(const int family, int_option(fd, name, SO_DOMAIN, "SO_DOMAIN", syscalls));
  if (family != AF_INET && family != AF_INET6) {
    return Error{name + " is not an IPv4 or IPv6 socket", {}};
  }
  ECHO_ASSIGN_OR_RETURN(const int type, int_option(fd, name, SO_TYPE, "SO_TYPE", syscalls));
  if (type != SOCK_STREAM && type != SOCK_DGRAM) {
    return Error{name + " is neither a TCP (stream) nor a UDP (datagram) socket", {}};
  }
  SocketKind kind{type == SOCK_STREAM ? Transport::kTcp : Transport::kUdp, false, {}};
  if (kind.transport == Transport::kTcp) {
    ECHO_ASSIGN_OR_RETURN(const int listening,
                          int_option(fd, name, SO_ACCEPTCONN, "SO_ACCEPTCONN", syscalls));
    kind.listening = listening != 0;
  }
  ECHO_ASSIGN_OR_RETURN(kind.local, local_endpoint(fd, syscalls));
  return kind;
}

Status prepare_passed_socket(int fd, const SocketKind& kind, Syscalls& syscalls) {
  const int descriptor_flags = ::fcntl(fd, F_GETFD);
  const int status_flags = ::fcntl(fd, F_GETFL);
  if (descriptor_flags < 0 || status_flags < 0 ||
      ::fcntl(fd, F_SETFD, descriptor_flags | FD_CLOEXEC) != 0 ||
      ::fcntl(fd, F_SETFL, status_flags | O_NONBLOCK) != 0) {
    return system_error("descriptor " + std::to_string(fd), errno);
  }
  if (kind.transport != Transport::kUdp) return {};
  const int on = 1;
  const int rc = kind.local.family() == AF_INET6
                     ? syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on)
                     : syscalls.setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
  if (rc != 0)
    return system_error("descriptor " + std::to_string(fd) + ": packet information", errno);
  DatagramEcho::enable_receive_offload(fd, syscalls);
  return {};
}

}  // namespace echo::server
