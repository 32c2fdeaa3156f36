// Sending UDP from a chosen source port, for the abuse cases (udp_abuse.cc):
// a datagram "from chargen" is a datagram from port 19. The checker binds the
// port for real on a local address that reaches the target; it never forges a
// source with a raw socket, because the reply to a forged source goes to
// whatever listens there, and drawing a service's reply into the server is the
// very loop the cases look for.
//
// A server bound to 127.0.0.1:P leaves P free on 127.0.0.2, so a datagram from
// the server's own port can be sent over IPv4 loopback without privileges;
// ports below 1024 need root (or CAP_NET_BIND_SERVICE).
//
// Example:
//   Result<SourcePortSocket> from19 = bind_source_port(context.target, 19, deadline);
//   if (!from19 && from19.error().code == std::errc::permission_denied) ... skip: needs root
//   send_datagram(from19->fd.get(), message, context.target);
#pragma once

#include <cstdint>
#include <vector>

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo::conformance {

// The local addresses (port 0) a socket may bind to in order to send to
// `target`, best first: `route_source`, the address the kernel picks to reach
// the target; and when that is the target's own address or on IPv4 loopback
// (the target is on this host), other IPv4 loopback addresses, 127.0.0.1-4,
// which reach it too. IPv6 loopback has one address, ::1: nothing is added.
[[nodiscard]] std::vector<Endpoint> source_candidates(const Endpoint& target,
                                                      const Endpoint& route_source);

// source_candidates() for `target`, with the address the kernel picks to reach it.
[[nodiscard]] std::vector<Endpoint> local_sources(const Endpoint& target);

struct SourcePortSocket {
  Fd fd;
  Endpoint local;  // the address and port it is bound to
};

// A UDP socket bound to `port` on the first candidate address that is free.
// While every candidate is in use it retries until `deadline` (another run of
// the checker may hold the port for a moment). Errors keep their codes:
// std::errc::permission_denied (the port needs privileges),
// std::errc::address_in_use (taken on every candidate; the message names them).
[[nodiscard]] Result<SourcePortSocket> bind_source_port(const Endpoint& target, std::uint16_t port,
                                                        Deadline deadline);

}  // namespace echo::conformance
