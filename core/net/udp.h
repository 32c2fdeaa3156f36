// UDP datagrams with their addresses, including the local address a datagram
// was sent to, so a server bound to a wildcard address can reply from exactly
// the address the client used (IP_PKTINFO / IPV6_PKTINFO).
//
// Every function makes its system calls through the Syscalls seam passed last
// (syscalls.h); without one, through Syscalls::real().
//
// Example (a server bound to 0.0.0.0:7007 with udp_bind(..., want_destination = true)):
//   Result<Datagram> d = receive_datagram(fd, buffer, Deadline::after(1s));
//   // d->destination == 127.0.0.2:7007 when the client sent to 127.0.0.2
//   send_datagram(fd, std::span(buffer).first(d->size), d->peer, d->destination,
//                 d->interface_index);  // the reply comes from 127.0.0.2:7007
#pragma once

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/syscalls.h"
#include "core/util/result.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103  // SOL_UDP: send with this segment size (uint16_t): GSO
#endif
#ifndef UDP_GRO
#define UDP_GRO 104  // SOL_UDP: receive GSO bursts whole, the segment size (int) in a cmsg
#endif

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
[[nodiscard]] Result<Datagram> receive_datagram(int fd, std::span<std::byte> into,
                                                Syscalls& syscalls = Syscalls::real()) noexcept;
// Waits for a datagram until the deadline.
[[nodiscard]] Result<Datagram> receive_datagram(int fd, std::span<std::byte> into,
                                                Deadline deadline,
                                                Syscalls& syscalls = Syscalls::real());

// Sends one datagram to `peer` (empty on a connected socket), from `source`'s
// address when it is not empty (the address the request arrived on; its port is
// ignored: the socket's own is used), through IP_PKTINFO / IPV6_PKTINFO.
// A non-zero interface_index also picks the outgoing interface. EINTR retried;
// EAGAIN returned as an Error; MSG_NOSIGNAL.
[[nodiscard]] Status send_datagram(int fd, std::span<const std::byte> data, const Endpoint& peer,
                                   const Endpoint& source = {}, int interface_index = 0,
                                   Syscalls& syscalls = Syscalls::real()) noexcept;

// For servers that batch datagrams with recvmmsg()/sendmmsg() (one system call
// for many, see reference/server/udp_echo.cc): the packet-information halves
// of receive_datagram() and send_datagram().
//
// Room for either kind of packet-information control message.
inline constexpr std::size_t kPacketInfoSpace =
    CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo));
// Reads IP_PKTINFO / IPV6_PKTINFO from a message recvmsg() filled: the local
// address it was sent to (port 0: packet information carries none) and the
// interface. Returns whether there was one.
[[nodiscard]] bool read_packet_info(msghdr& message, Endpoint& destination,
                                    int& interface_index) noexcept;
// Writes the control message that makes a reply come from `source`'s address
// (and leave through interface_index when non-zero) into `control`, which has
// kPacketInfoSpace bytes aligned for cmsghdr. Returns the bytes used.
std::size_t write_packet_info(const Endpoint& source, int interface_index, void* control) noexcept;

// UDP segmentation offload (Linux 4.18+ GSO, 5.0+ GRO), for senders and
// receivers of bursts of equal-size datagrams.
//
// Room for the UDP_SEGMENT control message.
inline constexpr std::size_t kUdpSegmentSpace = CMSG_SPACE(sizeof(std::uint16_t));
// Writes UDP_SEGMENT: the kernel cuts the send into `segment`-byte datagrams
// (a last one may be shorter). `control` has kUdpSegmentSpace bytes aligned
// for cmsghdr. Returns the bytes used.
std::size_t write_udp_segment(std::uint16_t segment, void* control) noexcept;
// The segment size of a buffer the kernel coalesced from a GSO burst (the
// UDP_GRO control message of a message recvmsg() filled), or 0: one datagram.
[[nodiscard]] std::size_t read_udp_gro_segment(msghdr& message) noexcept;
// Asks for UDP_GRO; false where the kernel lacks it (datagrams then arrive one by one).
bool enable_udp_gro(int fd, Syscalls& syscalls = Syscalls::real()) noexcept;

}  // namespace echo
