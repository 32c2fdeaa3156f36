// The loop guard's fixed rules: which datagram sources an echo server must
// not answer, whatever the datagram holds. Sans-I/O: the server's own ports
// and its interfaces' broadcast addresses are given, not looked up.
//
// Not answered (Refusal in refusal.h):
// - a source port the server itself listens on (any --listen entry): the
//   sender is another echo server on the same port, or a spoofed datagram
//   that would start a loop between two of them (127.0.0.1:7 <-> 127.0.0.2:7);
// - a source port of a service that answers anything (reflecting_services.h);
// - source port 0;
// - a source address that cannot be a single sender: IPv4 0.0.0.0/8,
//   multicast 224.0.0.0/4, the limited broadcast 255.255.255.255 and the
//   given directed broadcasts; IPv6 :: and multicast ff00::/8 (RFC 1122
//   4.1.3.6: a datagram with a broadcast or multicast source must be
//   discarded);
// - a destination address that is a broadcast or multicast address: one
//   spoofed request to a subnet's broadcast would make every echo server on
//   it answer the victim (the "fraggle" attack).
// Ports named with `allowed_ports` (--udp-allow-source-port) are answered
// despite the first two rules. Loopback sources are answered: every local
// client, the checker and the tests use them.
//
// Example:
//   SourcePolicy policy({.own_ports = {7007}, .allowed_ports = {}, .broadcasts = {}});
//   if (policy.check(*source, destination) != Refusal::kNone) drop();
#pragma once

#include <bitset>
#include <cstdint>
#include <vector>

#include "reference/server/guard/refusal.h"
#include "reference/server/guard/source.h"

namespace echo::server {

struct SourcePolicyConfig {
  std::vector<std::uint16_t> own_ports;
  std::vector<std::uint16_t> allowed_ports;
  std::vector<std::uint32_t> broadcasts;  // IPv4 directed broadcasts, host byte order
};

class SourcePolicy {
 public:
  explicit SourcePolicy(const SourcePolicyConfig& config);

  // The rule `source` breaks, if any; `destination` (may be empty: unknown) is
  // the address the datagram was sent to.
  [[nodiscard]] Refusal check(const Source& source, const Endpoint& destination) const noexcept;

 private:
  [[nodiscard]] bool is_not_unicast(const Source& address) const noexcept;
  [[nodiscard]] bool is_not_unicast_v4(std::uint32_t address) const noexcept;

  std::bitset<65536> own_ports_;
  std::bitset<65536> service_ports_;
  std::vector<std::uint32_t> broadcasts_;
};

}  // namespace echo::server
