// Creating TCP and UDP sockets. Every socket is SOCK_NONBLOCK | SOCK_CLOEXEC.
//
// Every function makes its system calls through the Syscalls seam passed last
// (syscalls.h); without one, through Syscalls::real(). The Fds returned close
// through the same seam.
//
// Example:
//   Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
//   Result<Endpoint> bound = local_endpoint(listener->get());  // the port the kernel chose
//   Result<Fd> client = tcp_connect(*bound, Deadline::after(1s));
#pragma once

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/net/syscalls.h"
#include "core/util/result.h"

namespace echo {

struct ListenOptions {
  int backlog = 1024;
  bool v6_only = true;  // IPV6_V6ONLY for "[::]": IPv4 gets its own socket
};

// socket + SO_REUSEADDR + bind + listen. A bind refused for lack of privilege
// (port < 1024) says so and suggests a port above 1023.
[[nodiscard]] Result<Fd> tcp_listen(const Endpoint& address, const ListenOptions& options = {},
                                    Syscalls& syscalls = Syscalls::real());
// Non-blocking connect that waits until the deadline. Refused, unreachable and
// timed out keep their error codes (ECONNREFUSED, ENETUNREACH/EHOSTUNREACH, ETIMEDOUT);
// messages name the endpoint ("cannot connect to 127.0.0.1:7007: Connection refused").
[[nodiscard]] Result<Fd> tcp_connect(const Endpoint& address, Deadline deadline,
                                     Syscalls& syscalls = Syscalls::real());
// accept4() (EINTR retried), the new socket non-blocking and close-on-exec; an
// Error with code EAGAIN (std::errc::resource_unavailable_try_again) when nothing is pending.
[[nodiscard]] Result<Fd> tcp_accept(int listener, Endpoint* peer = nullptr,
                                    Syscalls& syscalls = Syscalls::real());

// An unbound UDP socket of `family` (AF_INET or AF_INET6).
[[nodiscard]] Result<Fd> udp_socket(int family, Syscalls& syscalls = Syscalls::real());
// A UDP socket of `peer`'s family connected to it: send() and recv() then
// talk to `peer` alone.
[[nodiscard]] Result<Fd> udp_connect(const Endpoint& peer, Syscalls& syscalls = Syscalls::real());
// A bound UDP socket; with `want_destination`, IP_PKTINFO / IPV6_RECVPKTINFO
// are set so each datagram's destination address can be read (see udp.h).
// An IPv6 socket is IPV6_V6ONLY, as tcp_listen's default: "[::]" and "0.0.0.0"
// are two sockets, and IPv4 never arrives as ::ffff:a.b.c.d.
[[nodiscard]] Result<Fd> udp_bind(const Endpoint& address, bool want_destination,
                                  Syscalls& syscalls = Syscalls::real());

[[nodiscard]] Result<Endpoint> local_endpoint(int fd, Syscalls& syscalls = Syscalls::real());
[[nodiscard]] Result<Endpoint> peer_endpoint(int fd, Syscalls& syscalls = Syscalls::real());

[[nodiscard]] Status set_tcp_nodelay(int fd, bool on, Syscalls& syscalls = Syscalls::real());
// SO_LINGER {1, 0}: close() then sends RST instead of FIN.
[[nodiscard]] Status set_linger_reset(int fd, Syscalls& syscalls = Syscalls::real());

}  // namespace echo
