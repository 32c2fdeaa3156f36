#include "reference/server/guard/connections_per_address.h"

#include <optional>

#include "reference/server/guard/bounded_table.h"

namespace echo::server {

std::size_t ConnectionsPerAddress::KeyHash::operator()(const AddressKey& key) const noexcept {
  return static_cast<std::size_t>(seeded_hash(key, seed));
}

ConnectionsPerAddress::ConnectionsPerAddress(std::size_t limit, std::uint64_t seed)
    : limit_(limit), open_(0, KeyHash{seed}) {}

bool ConnectionsPerAddress::try_add(const Endpoint& peer) {
  if (!limited()) return true;
  const std::optional<Source> source = Source::from_endpoint(peer);
  if (!source) return true;
  const std::lock_guard lock(mutex_);
  std::size_t& open = open_[source->address_key()];
  if (open >= limit_) return false;  // (limit_ >= 1, so the entry is not an empty one)
  ++open;
  return true;
}

void ConnectionsPerAddress::remove(const Endpoint& peer) {
  if (!limited()) return;
  const std::optional<Source> source = Source::from_endpoint(peer);
  if (!source) return;
  const std::lock_guard lock(mutex_);
  const auto found = open_.find(source->address_key());
  if (found == open_.end()) return;
  if (--found->second == 0) open_.erase(found);
}

std::size_t ConnectionsPerAddress::open_from(const Endpoint& peer) const {
  const std::optional<Source> source = Source::from_endpoint(peer);
  if (!source) return 0;
  const std::lock_guard lock(mutex_);
  const auto found = open_.find(source->address_key());
  return found == open_.end() ? 0 : found->second;
}

}  // namespace echo::server
