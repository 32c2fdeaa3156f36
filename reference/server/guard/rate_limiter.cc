#include "reference/server/guard/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace echo::server {

SourceRateLimiter::SourceRateLimiter(const RateLimitConfig& config, std::size_t capacity,
                                     std::uint64_t seed)
    : interval_ns_(config.per_second > 0 ? 1e9 / config.per_second : 0),
      burst_(std::max<std::uint32_t>(1, config.burst)),
      table_(capacity, seed) {}

bool SourceRateLimiter::allow(const AddressKey& source, std::chrono::nanoseconds now,
                              std::uint32_t cost) {
  if (!enabled()) return true;
  const std::int64_t now_ns = now.count();
  Bucket* bucket = last_;
  if (bucket == nullptr || !(bucket->source == source)) {
    auto [found, fresh] =
        table_.find_or_insert(source, [now_ns](const Bucket& b) { return b.full_at_ns - now_ns; });
    bucket = found;
    if (fresh) bucket->source = source;
    last_ = bucket;
  }
  const std::int64_t start = std::max(bucket->full_at_ns, now_ns);  // a new source starts full
  const auto charge = static_cast<std::int64_t>(std::llround(cost * interval_ns_));
  const std::int64_t full_at = start + charge;
  const double allowance = std::max<double>(burst_, cost) * interval_ns_;
  if (static_cast<double>(full_at - now_ns) > allowance) return false;
  bucket->full_at_ns = full_at;
  return true;
}

}  // namespace echo::server
