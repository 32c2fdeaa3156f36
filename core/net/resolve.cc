#include "core/net/resolve.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace echo {
namespace {

struct FreeAddrinfo {
  void operator()(addrinfo* list) const noexcept { freeaddrinfo(list); }
};

std::error_code code_for(int gai_error, int saved_errno) {
  if (gai_error == EAI_SYSTEM) return std::error_code(saved_errno, std::generic_category());
  if (gai_error == EAI_AGAIN) {
    return std::make_error_code(std::errc::resource_unavailable_try_again);
  }
  return std::make_error_code(std::errc::address_not_available);
}

}  // namespace

Result<std::vector<Endpoint>> resolve(const HostPort& target) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address, not one per socket type
  hints.ai_flags = AI_NUMERICSERV;  // and no AI_ADDRCONFIG: loopback must work offline
  if (target.kind != HostKind::kName) hints.ai_flags |= AI_NUMERICHOST;

  const std::string port = std::to_string(target.port);
  addrinfo* raw = nullptr;
  int rc = ::getaddrinfo(target.host.c_str(), port.c_str(), &hints, &raw);
  std::unique_ptr<addrinfo, FreeAddrinfo> list(raw);
  if (rc != 0) {
    const int saved = errno;
    std::string reason = rc == EAI_SYSTEM ? std::strerror(saved) : ::gai_strerror(rc);
    return Error{"cannot resolve '" + target.host + "': " + reason, code_for(rc, saved)};
  }

  std::vector<Endpoint> endpoints;
  for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
    std::optional<Endpoint> endpoint = Endpoint::from_sockaddr(entry->ai_addr, entry->ai_addrlen);
    if (!endpoint) continue;
    if (std::find(endpoints.begin(), endpoints.end(), *endpoint) != endpoints.end()) continue;
    endpoints.push_back(*endpoint);
  }
  if (endpoints.empty()) {
    return Error{"cannot resolve '" + target.host + "': no IPv4 or IPv6 address",
                 std::make_error_code(std::errc::address_not_available)};
  }
  return endpoints;
}

}  // namespace echo
