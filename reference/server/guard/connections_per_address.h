// The TCP connections open per source address (an IPv4 address or an IPv6
// /64, see source.h), for --max-connections-per-address: one client address
// cannot take every slot of --max-connections or every descriptor. Shared by
// the epoll model's event loops (a mutex, taken once per accept and once per
// close, and only when a limit is set) and used by the fork model's parent.
// Memory is one entry per address with connections open: bounded by the
// connections themselves (TCP sources cannot be spoofed past the handshake).
//
// What happens at the limit is the caller's (refuse_connection.h).
//
// Example:
//   ConnectionsPerAddress open(/*limit=*/64, seed);
//   if (!open.try_add(peer)) refuse(connection); else { serve(); open.remove(peer); }
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "core/address/endpoint.h"
#include "reference/server/guard/source.h"

namespace echo::server {

class ConnectionsPerAddress {
 public:
  // limit 0: no limit, nothing is tracked.
  ConnectionsPerAddress(std::size_t limit, std::uint64_t seed);

  [[nodiscard]] bool limited() const noexcept { return limit_ != 0; }
  // Counts a connection from `peer` unless its address is at the limit.
  [[nodiscard]] bool try_add(const Endpoint& peer);
  // Forgets one connection from `peer` (one that try_add() counted).
  void remove(const Endpoint& peer);
  [[nodiscard]] std::size_t open_from(const Endpoint& peer) const;

 private:
  struct KeyHash {
    std::uint64_t seed;
    std::size_t operator()(const AddressKey& key) const noexcept;
  };

  std::size_t limit_;
  mutable std::mutex mutex_;
  std::unordered_map<AddressKey, std::size_t, KeyHash> open_;
};

}  // namespace echo::server
