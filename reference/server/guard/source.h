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

#include <cstdint>
#include <optional>

#include "core/address/endpoint.h"

namespace echo::server {

// The 16 address bytes as two words (bytes 0-7 and 8-15 in memory order), so
// keys compare and hash a word at a time; the key of per-address tables.
struct AddressKey {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const AddressKey&, const AddressKey&) = default;
};

// An address and port; the key of per-peer state. (The port is a whole word:
// no padding, so the key can be hashed as bytes.)
struct PeerKey {
  AddressKey address;
  std::uint64_t port = 0;
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
  [[nodiscard]] bool is_v4() const noexcept {
    return address_.high == 0 && (address_.low & 0xFFFFFFFFu) == kMappedPrefix;
  }
  // The IPv4 address in host byte order; meaningful only when is_v4().
  [[nodiscard]] std::uint32_t v4_address() const noexcept;
  [[nodiscard]] in6_addr v6_address() const noexcept;
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // 127.0.0.0/8 or ::1.
  [[nodiscard]] bool is_loopback() const noexcept;

  // The key per-address limits use: the IPv4 address, or the IPv6 /64.
  [[nodiscard]] AddressKey address_key() const noexcept {
    return is_v4() ? address_ : AddressKey{address_.high, 0};
  }
  // The whole address and the port: one peer socket.
  [[nodiscard]] PeerKey peer_key() const noexcept { return {address_, port_}; }

 private:
  // Bytes 8-11 of ::ffff:a.b.c.d (0, 0, 0xff, 0xff) read as the low half of a word.
  static constexpr std::uint64_t kMappedPrefix = 0xFFFF0000u;

  AddressKey address_;
  std::uint16_t port_ = 0;
};

}  // namespace echo::server
