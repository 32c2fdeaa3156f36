// Addresses for the guard's tests: endpoint("127.0.0.1", 5000), source("::1", 7).
#pragma once

#include <arpa/inet.h>

#include <string>

#include "core/address/endpoint.h"
#include "reference/server/guard/source.h"

namespace echo::server::testing {

inline Endpoint endpoint(const std::string& address, std::uint16_t port) {
  if (address.find(':') == std::string::npos) {
    in_addr v4{};
    ::inet_pton(AF_INET, address.c_str(), &v4);
    return Endpoint::v4(v4, port);
  }
  in6_addr v6{};
  ::inet_pton(AF_INET6, address.c_str(), &v6);
  return Endpoint::v6(v6, port);
}

inline Source source(const std::string& address, std::uint16_t port) {
  return *Source::from_endpoint(endpoint(address, port));
}

}  // namespace echo::server::testing
