#include "reference/server/guard/source.h"

#include <arpa/inet.h>

#include <bit>
#include <cstring>

namespace echo::server {

static_assert(std::endian::native == std::endian::little, "kMappedPrefix assumes little-endian");

std::optional<Source> Source::from_sockaddr(const sockaddr* address, socklen_t length) noexcept {
  if (address == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t))) {
    return std::nullopt;
  }
  Source source;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    std::uint32_t network_order;
    std::memcpy(&network_order, &v4.sin_addr, 4);
    source.address_.low = kMappedPrefix | (static_cast<std::uint64_t>(network_order) << 32);
    source.port_ = ntohs(v4.sin_port);
    return source;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    std::memcpy(&source.address_.high, &v6.sin6_addr.s6_addr[0], 8);
    std::memcpy(&source.address_.low, &v6.sin6_addr.s6_addr[8], 8);
    source.port_ = ntohs(v6.sin6_port);
    return source;
  }
  return std::nullopt;
}

std::uint32_t Source::v4_address() const noexcept {
  return ntohl(static_cast<std::uint32_t>(address_.low >> 32));
}

in6_addr Source::v6_address() const noexcept {
  in6_addr address;
  std::memcpy(&address.s6_addr[0], &address_.high, 8);
  std::memcpy(&address.s6_addr[8], &address_.low, 8);
  return address;
}

bool Source::is_loopback() const noexcept {
  if (is_v4()) return (v4_address() >> 24) == 127;
  const in6_addr address = v6_address();
  return IN6_IS_ADDR_LOOPBACK(&address);
}

}  // namespace echo::server
