// UDP datagrams with their addresses, including the local address a datagram
// was sent to, so a server bound to a wildcard address can reply from exactly
// the address the client used (IP_PKTINFO / IPV6_PKTINFO).
#pragma once

#include <cstddef>
#include <span>

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/util/result.h"

namespace echo {

struct Datagram {
  std::size_t size = 0;       // bytes received (0 is a valid, empty datagram)
  bool truncated = false;     // MSG_TRUNC: the datagram was larger than the buffer
  Endpoint peer;              // who sent it
  Endpoint destination;       // the local address it was sent to, when known (port included)
  int interface_index = 0;    // the interface it arrived on, when known
};

// One recvmsg() (EINTR retried); an Error with code EAGAIN when nothing is queued.
[[nodiscard]] Result<Datagram> receive_datagram(int fd, std::span<std::byte> into) noexcept;
// Waits for a datagram until the deadline.
[[nodiscard]] Result<Datagram> receive_datagram(int fd, std::span<std::byte> into, Deadline deadline);

// Sends one datagram to `peer`, from `source` when it is not empty (the
// address the request arrived on). EINTR retried; EAGAIN returned as an Error.
[[nodiscard]] Status send_datagram(int fd, std::span<const std::byte> data, const Endpoint& peer,
                                   const Endpoint& source = {}, int interface_index = 0) noexcept;

}  // namespace echo
