// A fixed-size map for per-source state, which a flood from ever new (spoofed)
// sources cannot grow: capacity is set at construction, and memory is taken
// on the first insertion, so a server that never sees a datagram pays nothing.
//
// Set-associative: a key's seeded hash picks one set of kWays slots; a key
// absent from its set takes a free slot there or, the set being full, the
// slot whose value `spare(value)` ranks lowest. A value whose spare() is <= 0
// holds nothing worth keeping (a refilled rate bucket, a loop record past its
// window): its slot counts as free. The seed comes from the caller (a random
// one in the server), so a sender cannot aim its sources at one set.
//
// Not thread-safe: each event loop owns its own.
//
// Example:
//   BoundedTable<AddressKey, Bucket> table(4096, seed);
//   auto [bucket, fresh] = table.find_or_insert(key, [now](const Bucket& b) { return b.tat - now;
//   });
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

namespace echo::server {

// A seeded 64-bit hash of bytes, for table indices and fingerprints: not
// cryptographic, but with an unknown seed a sender cannot choose addresses
// that share a set.
[[nodiscard]] inline std::uint64_t seeded_hash_bytes(const void* data, std::size_t size,
                                                     std::uint64_t seed) noexcept {
  constexpr std::uint64_t kOdd = 0x9E3779B97F4A7C15ull;
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint64_t h = seed ^ (size * kOdd);
  auto absorb = [&h](std::uint64_t word) {  // one multiply per word
    h = (h ^ word) * kOdd;
    h ^= h >> 29;
  };
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    absorb(word);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, bytes + i, size - i);
  absorb(tail);
  h ^= h >> 30;  // splitmix64's finaliser
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

// The same over an object's bytes (it must have no padding).
template <typename Key>
[[nodiscard]] std::uint64_t seeded_hash(const Key& key, std::uint64_t seed) noexcept {
  static_assert(std::has_unique_object_representations_v<Key>, "padding bytes would be hashed");
  return seeded_hash_bytes(&key, sizeof key, seed);
}

template <typename Key, typename Value, std::size_t kWays = 8>
class BoundedTable {
  static_assert(std::is_trivially_copyable_v<Key> && std::is_trivially_copyable_v<Value>);

 public:
  // At least `capacity` slots (rounded up to a power-of-two number of sets).
  BoundedTable(std::size_t capacity, std::uint64_t seed)
      : sets_(std::bit_ceil(std::max<std::size_t>(1, (capacity + kWays - 1) / kWays))),
        seed_(seed) {}

  [[nodiscard]] std::size_t capacity() const noexcept { return sets_ * kWays; }
  // Slots taken from a value still worth keeping.
  [[nodiscard]] std::uint64_t evictions() const noexcept { return evictions_; }

  // The value stored for `key`, or null.
  [[nodiscard]] Value* find(const Key& key) noexcept {
    if (!slots_) return nullptr;
    Slot* set = set_of(key);
    for (std::size_t w = 0; w < kWays; ++w) {
      if (set[w].used && set[w].key == key) return &set[w].value;
    }
    return nullptr;
  }

  // The value for `key`, and true if it was just inserted as Value{} (in a free
  // slot, or in the one of lowest `spare`).
  template <typename Spare>
  [[nodiscard]] std::pair<Value*, bool> find_or_insert(const Key& key, Spare spare) {
    if (!slots_) slots_ = std::make_unique<Slot[]>(capacity());
    Slot* set = set_of(key);
    Slot* victim = nullptr;
    auto lowest = std::numeric_limits<std::int64_t>::max();
    for (std::size_t w = 0; w < kWays; ++w) {
      Slot& slot = set[w];
      if (slot.used && slot.key == key) return {&slot.value, false};
      const std::int64_t rank = slot.used ? static_cast<std::int64_t>(spare(slot.value)) : 0;
      if (rank < lowest) {
        lowest = rank;
        victim = &slot;
      }
    }
    if (lowest > 0) ++evictions_;
    victim->used = true;
    victim->key = key;
    victim->value = Value{};
    return {&victim->value, true};
  }

 private:
  struct Slot {
    Key key{};
    Value value{};
    bool used = false;
  };

  Slot* set_of(const Key& key) noexcept {
    return slots_.get() + (seeded_hash(key, seed_) & (sets_ - 1)) * kWays;
  }

  std::size_t sets_;
  std::uint64_t seed_;
  std::unique_ptr<Slot[]> slots_;
  std::uint64_t evictions_ = 0;
};

}  // namespace echo::server
