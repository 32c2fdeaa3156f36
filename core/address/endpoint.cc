#include "core/address/endpoint.h"

#include <arpa/inet.h>

#include <cstring>

#include "core/address/parse.h"

namespace echo {

Endpoint Endpoint::v4(in_addr address, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr = address;
  sa.sin_port = htons(port);
  Endpoint e;
  e.address_ = sa;
  return e;
}

Endpoint Endpoint::v6(const in6_addr& address, uint16_t port) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_addr = address;
  sa.sin6_port = htons(port);
  Endpoint e;
  e.address_ = sa;
  return e;
}

Endpoint Endpoint::loopback_v4(uint16_t port) { return v4(in_addr{htonl(INADDR_LOOPBACK)}, port); }

Endpoint Endpoint::loopback_v6(uint16_t port) { return v6(in6addr_loopback, port); }

std::optional<Endpoint> Endpoint::from_sockaddr(const sockaddr* address, socklen_t length) {
  // Check the length before reading sa_family: both families need at least a sockaddr_in.
  if (address == nullptr || length < static_cast<socklen_t>(sizeof(sockaddr_in))) {
    return std::nullopt;
  }
  Endpoint e;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in sa;
    std::memcpy(&sa, address, sizeof sa);
    e.address_ = sa;
    return e;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 sa;
    std::memcpy(&sa, address, sizeof sa);
    e.address_ = sa;
    return e;
  }
  return std::nullopt;
}

int Endpoint::family() const noexcept {
  if (std::holds_alternative<sockaddr_in>(address_)) return AF_INET;
  if (std::holds_alternative<sockaddr_in6>(address_)) return AF_INET6;
  return AF_UNSPEC;
}

uint16_t Endpoint::port() const noexcept {
  if (auto* v4 = std::get_if<sockaddr_in>(&address_)) return ntohs(v4->sin_port);
  if (auto* v6 = std::get_if<sockaddr_in6>(&address_)) return ntohs(v6->sin6_port);
  return 0;
}

void Endpoint::set_port(uint16_t port) noexcept {
  if (auto* v4 = std::get_if<sockaddr_in>(&address_)) v4->sin_port = htons(port);
  if (auto* v6 = std::get_if<sockaddr_in6>(&address_)) v6->sin6_port = htons(port);
}

bool Endpoint::is_loopback() const noexcept {
  if (auto* v4 = std::get_if<sockaddr_in>(&address_)) {
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (auto* v6 = std::get_if<sockaddr_in6>(&address_)) {
    return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
  }
  return false;
}

const sockaddr* Endpoint::sockaddr_ptr() const noexcept {
  if (auto* v4 = std::get_if<sockaddr_in>(&address_)) return reinterpret_cast<const sockaddr*>(v4);
  if (auto* v6 = std::get_if<sockaddr_in6>(&address_)) return reinterpret_cast<const sockaddr*>(v6);
  return nullptr;
}

socklen_t Endpoint::sockaddr_len() const noexcept {
  switch (family()) {
    case AF_INET:
      return sizeof(sockaddr_in);
    case AF_INET6:
      return sizeof(sockaddr_in6);
    default:
      return 0;
  }
}

std::string Endpoint::address_string() const {
  if (auto* v4 = std::get_if<sockaddr_in>(&address_)) return format_ipv4(v4->sin_addr);
  if (auto* v6 = std::get_if<sockaddr_in6>(&address_)) return format_ipv6(v6->sin6_addr);
  return "(none)";
}

std::string Endpoint::to_string() const {
  switch (family()) {
    case AF_INET:
      return address_string() + ":" + std::to_string(port());
    case AF_INET6:
      return "[" + address_string() + "]:" + std::to_string(port());
    default:
      return "(none)";
  }
}

bool operator==(const Endpoint& a, const Endpoint& b) noexcept {
  if (a.family() != b.family() || a.port() != b.port()) return false;
  if (auto* x = std::get_if<sockaddr_in>(&a.address_)) {
    return x->sin_addr.s_addr == std::get<sockaddr_in>(b.address_).sin_addr.s_addr;
  }
  if (auto* x = std::get_if<sockaddr_in6>(&a.address_)) {
    return IN6_ARE_ADDR_EQUAL(&x->sin6_addr, &std::get<sockaddr_in6>(b.address_).sin6_addr);
  }
  return true;
}

}  // namespace echo
