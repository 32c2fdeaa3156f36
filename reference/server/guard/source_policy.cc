#include "reference/server/guard/source_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "reference/server/guard/reflecting_services.h"

namespace echo::server {

SourcePolicy::SourcePolicy(const SourcePolicyConfig& config) : broadcasts_(config.broadcasts) {
  for (std::uint16_t port : config.own_ports) own_ports_.set(port);
  for (const ReflectingService& service : kReflectingServices) service_ports_.set(service.port);
  for (std::uint16_t port : config.allowed_ports) {
    own_ports_.reset(port);
    service_ports_.reset(port);
  }
}

Refusal SourcePolicy::check(const Source& source, const Endpoint& destination) const noexcept {
  if (source.port() == 0) return Refusal::kPortZero;
  if (is_not_unicast(source)) return Refusal::kNotUnicast;
  const sockaddr* to_address = destination.sockaddr_ptr();  // null when empty
  if (to_address != nullptr && to_address->sa_family == AF_INET) {
    const auto* to = reinterpret_cast<const sockaddr_in*>(to_address);
    if (is_not_unicast_v4(ntohl(to->sin_addr.s_addr))) return Refusal::kNotUnicast;
  } else if (to_address != nullptr && to_address->sa_family == AF_INET6) {
    const auto* to = reinterpret_cast<const sockaddr_in6*>(to_address);
    if (IN6_IS_ADDR_MULTICAST(&to->sin6_addr)) return Refusal::kNotUnicast;
    if (IN6_IS_ADDR_V4MAPPED(&to->sin6_addr)) {
      std::uint32_t mapped;
      std::memcpy(&mapped, &to->sin6_addr.s6_addr[12], 4);
      if (is_not_unicast_v4(ntohl(mapped))) return Refusal::kNotUnicast;
    }
  }
  if (own_ports_[source.port()]) return Refusal::kOwnPort;
  if (service_ports_[source.port()]) return Refusal::kServicePort;
  return Refusal::kNone;
}

bool SourcePolicy::is_not_unicast_v4(std::uint32_t a) const noexcept {
  if ((a >> 24) == 0) return true;    // 0.0.0.0/8: "this network"
  if ((a >> 28) == 0xE) return true;  // 224.0.0.0/4: multicast
  if (a == 0xFFFFFFFFu) return true;  // limited broadcast
  return std::find(broadcasts_.begin(), broadcasts_.end(), a) != broadcasts_.end();
}

bool SourcePolicy::is_not_unicast(const Source& address) const noexcept {
  if (address.is_v4()) return is_not_unicast_v4(address.v4_address());
  const in6_addr a = address.v6_address();
  return IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_MULTICAST(&a);
}

}  // namespace echo::server
