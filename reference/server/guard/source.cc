#include "reference/server/guard/source.h"

#include <arpa/inet.h>

#include <cstring>

namespace echo::server {

std::optional<Source> Source::from_sockaddr(const sockaddr* address, socklen_t length) noexcept {
  if (address == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t))) {
    return std::nullopt;
  }
  Source source;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in v4{};
    std::memcpy(&v4, address, sizeof v4);
    source.address_.s6_addr[10] = 0xff;
    source.address_.s6_addr[11] = 0xff;
    std::memcpy(&source.address_.s6_addr[12], &v4.sin_addr, 4);
    source.port_ = ntohs(v4.sin_port);
    return source;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, address, sizeof v6);
    source.address_ = v6.sin6_addr;
    source.port_ = ntohs(v6.sin6_port);
    return source;
  }
  return std::nullopt;
}

bool Source::is_v4() const noexcept { return IN6_IS_ADDR_V4MAPPED(&address_); }

std::uint32_t Source::v4_address() const noexcept {
  std::uint32_t network_order = 0;
  std::memcpy(&network_order, &address_.s6_addr[12], 4);
  return ntohl(network_order);
}

bool Source::is_loopback() const noexcept {
  if (is_v4()) return (v4_address() >> 24) == 127;
  return IN6_IS_ADDR_LOOPBACK(&address_);
}

AddressKey Source::address_key() const noexcept {
  AddressKey key;
  std::memcpy(key.bytes.data(), address_.s6_addr, 16);
  if (!is_v4()) std::memset(key.bytes.data() + 8, 0, 8);  // the /64
  return key;
}

PeerKey Source::peer_key() const noexcept {
  PeerKey key;
  std::memcpy(key.address.bytes.data(), address_.s6_addr, 16);
  key.port = port_;
  return key;
}

}  // namespace echo::server
