#include "reference/server/guard_setup.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "core/net/socket.h"

namespace echo::server {
namespace {

std::vector<std::uint16_t> bound_ports(const BoundSockets& sockets) {
  std::vector<std::uint16_t> ports;
  auto note = [&](const Fd& fd) {
    if (Result<Endpoint> local = local_endpoint(fd.get())) ports.push_back(local->port());
  };
  for (const Fd& fd : sockets.tcp_listeners) note(fd);
  for (const Fd& fd : sockets.udp_sockets) note(fd);
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  return ports;
}

std::vector<std::uint32_t> interface_broadcasts() {
  std::vector<std::uint32_t> broadcasts;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return broadcasts;
  for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if ((a->ifa_flags & IFF_BROADCAST) == 0 || a->ifa_broadaddr == nullptr ||
        a->ifa_broadaddr->sa_family != AF_INET) {
      continue;
    }
    sockaddr_in broadcast{};
    std::memcpy(&broadcast, a->ifa_broadaddr, sizeof broadcast);
    broadcasts.push_back(ntohl(broadcast.sin_addr.s_addr));
  }
  ::freeifaddrs(list);
  return broadcasts;
}

}  // namespace

GuardSettings make_guard_settings(const ServerOptions& options, const BoundSockets& sockets) {
  GuardSettings settings;
  settings.loop_guard = options.udp_loop_guard;
  if (settings.loop_guard && options.udp) {
    settings.policy = {.own_ports = bound_ports(sockets),
                       .allowed_ports = options.udp_allowed_source_ports,
                       .broadcasts = interface_broadcasts()};
  }
  settings.rate = {.per_second = options.udp_rate_limit, .burst = options.udp_burst};
  settings.rate_limit_loopback = options.udp_rate_limit_loopback;
  settings.max_connections_per_address = options.max_connections_per_address;
  std::random_device random;
  settings.seed = (static_cast<std::uint64_t>(random()) << 32) ^ random();
  return settings;
}

}  // namespace echo::server
