// LatencyHistogram: a small HDR-like histogram of non-negative 64-bit values
// (nanoseconds here). Values below 2^kSubBits are counted exactly; above, each
// power-of-two range is split into 2^kSubBits equal buckets, so any value is
// known to within 1/128 (0.8 %) of itself. Recording is an index computation
// and an increment; memory is fixed (about 60 KiB) whatever is recorded.
//
// Example:
//   LatencyHistogram h;
//   h.record(1500);                // 1.5 us
//   h.value_at_percentile(99.0);   // the highest value of the bucket holding the 99th percentile
//   total.merge(h);                // per-thread histograms are added together
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace echo::bench {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 7;  // 128 buckets per power of two: 1/128 precision
  static constexpr std::size_t kSubCount = std::size_t{1} << kSubBits;
  static constexpr std::size_t kBucketCount = (64 - kSubBits + 1) * kSubCount;

  void record(std::uint64_t value) noexcept;
  void merge(const LatencyHistogram& other) noexcept;
  void reset() noexcept { *this = LatencyHistogram(); }

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] double mean() const noexcept;
  // The smallest recorded value v such that at least `percentile` % of the
  // values are <= v, reported as the upper end of v's bucket (never above
  // max()). 0 when empty; percentile is clamped to [0, 100].
  [[nodiscard]] std::uint64_t value_at_percentile(double percentile) const noexcept;

  // The bucket of a value, and the range [lowest, highest] of values sharing it.
  [[nodiscard]] static std::size_t bucket_of(std::uint64_t value) noexcept;
  [[nodiscard]] static std::uint64_t bucket_lowest(std::size_t bucket) noexcept;
  [[nodiscard]] static std::uint64_t bucket_highest(std::size_t bucket) noexcept;

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace echo::bench
