// UDP datagrams with their addresses, including the local address a datagram
// was sent to, so a server bound to a wildcard address can reply from exactly
// the address the client used (IP_PKTINFO / IPV6_PKTINFO).
//
// Example (a server bound to 0.0.0.0:7007 with udp_bind(..., want_destination = true)):
//   Result<Datagram> d = receive_datagram(fd, buffer, Deadline::after(1s));
//   // d->destination == 127.0.0.2:7007 when the client sent to 127.0.0.2
//   send_datagram(fd, std::span(buffer).first(d->size), d->peer, d->destination,
//                 d->interface_index);  // the reply comes from 127.0.0.2:7007
#pragma once

#include <cstddef>
#include <span>

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/util/result.h"

namespace echo {

struct Datagram {
  std::size_t size = 0;    // bytes stored in the buffer (0 is a valid, empty datagram)
  bool truncated = false;  // MSG_TRUNC: the datagram was larger than the buffer (rest lost)
  Endpoint peer;           // who sent it
  // The local address it was sent to: known only on a socket bound with
  // want_destination (otherwise empty). The port is the socket's own, read
  // with getsockname() for each such datagram (packet information carries none).
  Endpoint destination;
  int interface_index = 0;  // the interface it arrived on, when known (with destination)
};

// One recvmsg() with MSG_DONTWAIT (EINTR retried); an Error with code EAGAIN
// (std::errc::resource_unavailable_try_again) when nothing is queued.
[[nodiscard]] Result<Datagram> receive_datagram(int fd, std::span<std::byte> into) noexcept;
// Waits for a datagram until the deadline.
[[nodiscard]] Result<Datagram> receive_datagram(int fd, std::span<std::byte> into,
                                                Deadline deadline);

// Sends one datagram to `peer` (empty on a connected socket), from `source`'s
// address when it is not empty (the address the request arrived on; its port is
// ignored: the socket's own is used), through IP_PKTINFO / IPV6_PKTINFO.
// A non-zero interface_index also picks the outgoing interface. EINTR retried;
// EAGAIN returned as an Error; MSG_NOSIGNAL.
[[nodiscard]] Status send_datagram(int fd, std::span<const std::byte> data, const Endpoint& peer,
                                   const Endpoint& source = {}, int interface_index = 0) noexcept;

}  // namespace echo
