#include "reference/server/guard/source_policy.h"

#include <algorithm>

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

Refusal SourcePolicy::check(const Source& source, const Source* destination) const noexcept {
  if (source.port() == 0) return Refusal::kPortZero;
  if (is_not_unicast(source)) return Refusal::kNotUnicast;
  if (destination != nullptr && is_not_unicast(*destination)) return Refusal::kNotUnicast;
  if (own_ports_.test(source.port())) return Refusal::kOwnPort;
  if (service_ports_.test(source.port())) return Refusal::kServicePort;
  return Refusal::kNone;
}

bool SourcePolicy::is_not_unicast(const Source& address) const noexcept {
  if (address.is_v4()) {
    const std::uint32_t a = address.v4_address();
    if ((a >> 24) == 0) return true;    // 0.0.0.0/8: "this network"
    if ((a >> 28) == 0xE) return true;  // 224.0.0.0/4: multicast
    if (a == 0xFFFFFFFFu) return true;  // limited broadcast
    return std::find(broadcasts_.begin(), broadcasts_.end(), a) != broadcasts_.end();
  }
  const in6_addr& a = address.v6_address();
  return IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_MULTICAST(&a);
}

}  // namespace echo::server
