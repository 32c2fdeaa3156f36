// Name resolution, kept apart from parsing: numeric hosts never touch DNS
// (AI_NUMERICHOST), names go through getaddrinfo().
#pragma once

#include <vector>

#include "core/address/endpoint.h"
#include "core/address/parse.h"
#include "core/util/result.h"

namespace echo {

// Every address of host:port, IPv6 and IPv4 in getaddrinfo() order. An error
// names the host and getaddrinfo's reason ("cannot resolve 'nohost': Name or service not known").
[[nodiscard]] Result<std::vector<Endpoint>> resolve(const HostPort& target);

}  // namespace echo
