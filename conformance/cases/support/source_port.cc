#include "conformance/cases/support/source_port.h"

#include <arpa/inet.h>

#include <algorithm>
#include <string>
#include <thread>

#include "core/net/socket.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

Endpoint without_port(Endpoint address) {
  address.set_port(0);
  return address;
}

bool same_address(const Endpoint& a, const Endpoint& b) {
  return a.address_string() == b.address_string();
}

Endpoint ipv4(const char* text) {
  in_addr address{};
  (void)::inet_pton(AF_INET, text, &address);
  return Endpoint::v4(address, 0);
}

// The address the kernel would send from to reach `target` (a connected UDP
// socket sends nothing); empty when it cannot tell.
Endpoint route_source_for(const Endpoint& target) {
  Result<Fd> probe = udp_connect(target);
  if (!probe) return {};
  Result<Endpoint> local = local_endpoint(probe->get());
  return local ? without_port(*local) : Endpoint{};
}

bool busy(const Error& error) {
  return error.code == std::errc::address_in_use || error.code == std::errc::address_not_available;
}

}  // namespace

std::vector<Endpoint> source_candidates(const Endpoint& target, const Endpoint& route_source) {
  std::vector<Endpoint> out;
  auto add = [&out](const Endpoint& address) {
    if (address.empty()) return;
    const Endpoint bare = without_port(address);
    if (std::none_of(out.begin(), out.end(),
                     [&bare](const Endpoint& e) { return same_address(e, bare); })) {
      out.push_back(bare);
    }
  };
  add(route_source);
  const bool on_this_host =
      target.is_loopback() || (!route_source.empty() && same_address(route_source, target));
  if (target.family() == AF_INET && on_this_host) {
    for (const char* loopback : {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
      add(ipv4(loopback));
    }
  }
  return out;
}

std::vector<Endpoint> local_sources(const Endpoint& target) {
  return source_candidates(target, route_source_for(target));
}

Result<SourcePortSocket> bind_source_port(const Endpoint& target, std::uint16_t port,
                                          Deadline deadline) {
  const std::vector<Endpoint> candidates = local_sources(target);
  if (candidates.empty()) {
    return Error{"no local address reaches " + target.to_string(),
                 std::make_error_code(std::errc::network_unreachable)};
  }
  for (;;) {
    for (Endpoint local : candidates) {
      local.set_port(port);
      Result<Fd> fd = udp_bind(local, /*want_destination=*/false);
      if (fd) return SourcePortSocket{std::move(*fd), local};
      if (!busy(fd.error())) return fd.error();
    }
    if (deadline.expired() || deadline.is_never()) break;
    // Another run of the checker may hold the port for a moment.
    std::this_thread::sleep_for(
        std::min<Deadline::Clock::duration>(milliseconds(20), deadline.remaining()));
  }
  std::string tried;
  for (const Endpoint& local : candidates) {
    tried += (tried.empty() ? "" : ", ") + local.address_string();
  }
  return Error{"port " + std::to_string(port) + " is in use on every local address that reaches " +
                   target.to_string() + " (" + tried + ")",
               std::make_error_code(std::errc::address_in_use)};
}

}  // namespace echo::conformance
