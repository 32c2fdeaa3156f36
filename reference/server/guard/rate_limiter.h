// A per-source-address datagram rate limit (RFC 8085 section 6: a UDP
// application MAY limit how many requests it answers per interval), as a
// token bucket of `burst` datagrams refilled at `per_second`, kept in the
// GCRA form: one time per source, the "theoretical arrival time" by which its
// bucket is full again. Sources live in a BoundedTable, so a flood from spoofed
// sources costs fixed memory; a source whose bucket is full is the same as an
// absent one, so such entries are the first to go.
//
// What it bounds: a flood from one address, and a loop between two echo
// servers (each is the other's one source) that the loop guard's rules cannot
// see: either is answered at `per_second` at most. What it cannot bound: a
// flood whose every datagram has a new spoofed source (each is a new bucket);
// echo does not amplify, so each spoofed victim gets back what was sent.
//
// Time is passed in (any monotonic clock, in nanoseconds); nothing here reads
// a clock.
//
// Example:
//   SourceRateLimiter limiter({.per_second = 1000, .burst = 100}, 4096, seed);
//   if (!limiter.allow(source.address_key(), now_ns)) drop();
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "reference/server/guard/bounded_table.h"
#include "reference/server/guard/source.h"

namespace echo::server {

struct RateLimitConfig {
  double per_second = 0;    // datagrams; 0: no limit
  std::uint32_t burst = 1;  // datagrams answered at once from a full bucket (>= 1)
};

class SourceRateLimiter {
 public:
  static constexpr std::size_t kDefaultCapacity = 4096;

  SourceRateLimiter(const RateLimitConfig& config, std::size_t capacity, std::uint64_t seed);

  [[nodiscard]] bool enabled() const noexcept { return interval_ns_ > 0; }

  // Whether `cost` datagrams (a GRO burst counts each of its own) from
  // `source` may be answered at `now`; if so they are charged. A cost above
  // the burst is allowed only from a full bucket, and charged in full.
  [[nodiscard]] bool allow(const AddressKey& source, std::chrono::nanoseconds now,
                           std::uint32_t cost = 1);

  [[nodiscard]] std::uint64_t evictions() const noexcept { return table_.evictions(); }

 private:
  struct Bucket {
    AddressKey source;            // whose bucket it is (the key, kept for the memo below)
    std::int64_t full_at_ns = 0;  // before this time the bucket is short of tokens
  };

  double interval_ns_;  // between two datagrams at the sustained rate; 0: no limit
  double burst_;
  BoundedTable<AddressKey, Bucket> table_;
  Bucket* last_ = nullptr;  // the last source's bucket, if its slot still holds that source
};

}  // namespace echo::server
