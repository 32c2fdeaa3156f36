// Name resolution, kept apart from parsing: numeric hosts never touch DNS
// (AI_NUMERICHOST), names go through getaddrinfo() (without AI_ADDRCONFIG, so
// loopback names resolve on a host with no other address).
//
// Example:
//   Result<HostPort> target = parse_host_port("localhost:7007", std::nullopt, PortRule::kNonZero);
//   Result<std::vector<Endpoint>> all = resolve(*target);  // [::1]:7007, 127.0.0.1:7007
#pragma once

#include <vector>

#include "core/address/endpoint.h"
#include "core/address/parse.h"
#include "core/util/result.h"

namespace echo {

// Every address of host:port, IPv6 and IPv4 in getaddrinfo() order, without
// duplicates. An error names the host and getaddrinfo's reason ("cannot resolve
// 'nohost': Name or service not known"); its code is EAI_SYSTEM's errno,
// std::errc::resource_unavailable_try_again for a temporary failure (EAI_AGAIN),
// otherwise std::errc::address_not_available.
[[nodiscard]] Result<std::vector<Endpoint>> resolve(const HostPort& target);

}  // namespace echo
