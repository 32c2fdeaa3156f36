// Sources for the guard's tests: "127.0.0.1", 5000 -> a Source.
#pragma once

#include <arpa/inet.h>

#include <string>

#include "reference/server/guard/source.h"

namespace echo::server::testing {

inline Source source(const std::string& address, std::uint16_t port) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (address.find(':') == std::string::npos) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    ::inet_pton(AF_INET, address.c_str(), &v4->sin_addr);
    length = sizeof *v4;
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    ::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr);
    length = sizeof *v6;
  }
  return *Source::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length);
}

}  // namespace echo::server::testing
