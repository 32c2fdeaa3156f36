// Sockets another program opened for echo-server: a service manager's
// listeners (activation.h) or inetd's socket on standard input (inetd.h).
// describe_socket() asks the kernel what a descriptor is; prepare_passed_socket()
// sets it up the way the server's own sockets are (bind.h): close-on-exec,
// non-blocking, and for UDP packet information (replies leave from the address
// each request was sent to) and receive offload.
//
// Example:
//   Result<SocketKind> kind = describe_socket(3);
//   // a TCP listener on 127.0.0.1:7: {kTcp, listening = true, 127.0.0.1:7}
//   if (kind) Status ready = prepare_passed_socket(3, *kind);
#pragma once

#include <string>

#include "core/address/endpoint.h"
#include "core/address/transport.h"
#include "core/net/syscalls.h"
#include "core/util/result.h"

namespace echo::server {

struct SocketKind {
  Transport transport;
  bool listening;  // TCP: a listener (SO_ACCEPTCONN), not a connection
  Endpoint local;  // the address it is bound to
};

// Through the seam: SO_DOMAIN (IPv4 or IPv6, else an error), SO_TYPE (stream
// or datagram, else an error), SO_ACCEPTCONN and getsockname(). `name` says
// which descriptor in messages ("passed descriptor 3", "standard input").
[[nodiscard]] Result<SocketKind> describe_socket(int fd, const std::string& name,
                                                 Syscalls& syscalls = Syscalls::real());

// Close-on-exec and non-blocking (with fcntl, which the seam does not have:
// real descriptors only), then packet information and UDP_GRO for UDP.
[[nodiscard]] Status prepare_passed_socket(int fd, const SocketKind& kind,
                                           Syscalls& syscalls = Syscalls::real());

}  // namespace echo::server
