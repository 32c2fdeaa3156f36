// A datagram's or a connection's source, as the guard's rules and tables see
// it: a 16-byte address (IPv4 as the IPv4-mapped IPv6 address ::ffff:a.b.c.d,
// so one form serves both families, and an IPv4-mapped source on an IPv6
// socket is the IPv4 host it is) and a port.
//
// Limits are kept per *address* (address_key()): an IPv4 address, or an IPv6
// /64, the smallest block one IPv6 host is usually given, so a host cannot
// escape a per-address limit by cycling through the addresses of its own
// subnet (as with per-client limits in DNS response rate limiting).
//
// Example:
//   std::optional<Source> s = Source::from_sockaddr(peer, peer_length);
//   if (s && s->is_v4()) ... s->v4_address() ...   // host byte order
//   table.find(s->address_key());
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>

#include "core/address/endpoint.h"

namespace echo::server {

// 16 address bytes; the key of the guard's per-address tables.
struct AddressKey {
  std::array<std::uint8_t, 16> bytes{};
  friend bool operator==(const AddressKey&, const AddressKey&) = default;
};

// An address and port; the key of per-peer state.
struct PeerKey {
  AddressKey address;
  std::uint16_t port = 0;
  friend bool operator==(const PeerKey&, const PeerKey&) = default;
};

class Source {
 public:
  // nullopt for a family other than AF_INET/AF_INET6, or a short length.
  [[nodiscard]] static std::optional<Source> from_sockaddr(const sockaddr* address,
                                                           socklen_t length) noexcept;
  [[nodiscard]] static std::optional<Source> from_endpoint(const Endpoint& endpoint) noexcept {
    return from_sockaddr(endpoint.sockaddr_ptr(), endpoint.sockaddr_len());
  }

  // IPv4, or IPv4-mapped IPv6 (::ffff:a.b.c.d).
  [[nodiscard]] bool is_v4() const noexcept;
  // The IPv4 address in host byte order; meaningful only when is_v4().
  [[nodiscard]] std::uint32_t v4_address() const noexcept;
  [[nodiscard]] const in6_addr& v6_address() const noexcept { return address_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // 127.0.0.0/8 or ::1.
  [[nodiscard]] bool is_loopback() const noexcept;

  // The key per-address limits use: the IPv4 address, or the IPv6 /64.
  [[nodiscard]] AddressKey address_key() const noexcept;
  // The whole address and the port: one peer socket.
  [[nodiscard]] PeerKey peer_key() const noexcept;

 private:
  in6_addr address_{};
  std::uint16_t port_ = 0;
};

}  // namespace echo::server
