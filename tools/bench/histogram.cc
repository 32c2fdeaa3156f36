#include "tools/bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace echo::bench {

std::size_t LatencyHistogram::bucket_of(std::uint64_t value) noexcept {
  if (value < kSubCount) return static_cast<std::size_t>(value);
  const int top = std::bit_width(value) - 1;  // >= kSubBits
  const int shift = top - kSubBits;
  const auto sub = static_cast<std::size_t>(value >> shift) - kSubCount;  // [0, kSubCount)
  return static_cast<std::size_t>(shift + 1) * kSubCount + sub;
}

std::uint64_t LatencyHistogram::bucket_lowest(std::size_t bucket) noexcept {
  if (bucket < kSubCount) return bucket;
  const std::size_t shift = bucket / kSubCount - 1;
  const std::uint64_t sub = bucket % kSubCount + kSubCount;
  return sub << shift;
}

std::uint64_t LatencyHistogram::bucket_highest(std::size_t bucket) noexcept {
  if (bucket < kSubCount) return bucket;
  const std::size_t shift = bucket / kSubCount - 1;
  return bucket_lowest(bucket) + ((std::uint64_t{1} << shift) - 1);
}

void LatencyHistogram::record(std::uint64_t value) noexcept {
  ++counts_[bucket_of(value)];
  ++count_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  sum_ += static_cast<long double>(value);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const noexcept {
  return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0;
}

std::uint64_t LatencyHistogram::value_at_percentile(double percentile) const noexcept {
  if (count_ == 0) return 0;
  const double p = std::clamp(percentile, 0.0, 100.0);
  // The rank of the wanted value, 1-based: at least 1, at most count_.
  auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(bucket_highest(i), max_);
  }
  return max_;
}

}  // namespace echo::bench
