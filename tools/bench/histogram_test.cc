#include "tools/bench/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace echo::bench {
namespace {

// Within the histogram's precision (one bucket: 1/128 of the value) of `expected`.
void expect_near_relative(std::uint64_t actual, double expected) {
  EXPECT_NEAR(static_cast<double>(actual), expected, expected / 128.0 + 1.0);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  for (std::uint64_t v = 0; v < 300; ++v) {
    const std::size_t b = LatencyHistogram::bucket_of(v);
    EXPECT_LE(LatencyHistogram::bucket_lowest(b), v);
    EXPECT_GE(LatencyHistogram::bucket_highest(b), v);
  }
  EXPECT_EQ(LatencyHistogram::bucket_highest(LatencyHistogram::bucket_of(127)), 127u);
}

TEST(LatencyHistogram, BucketsTileTheRangeWithBoundedWidth) {
  for (std::size_t b = 1; b < LatencyHistogram::kBucketCount; ++b) {
    ASSERT_EQ(LatencyHistogram::bucket_lowest(b), LatencyHistogram::bucket_highest(b - 1) + 1)
        << "bucket " << b;
    const double width = static_cast<double>(LatencyHistogram::bucket_highest(b) -
                                             LatencyHistogram::bucket_lowest(b) + 1);
    EXPECT_LE(width, static_cast<double>(LatencyHistogram::bucket_lowest(b)) / 128.0 + 1.0);
  }
  EXPECT_EQ(LatencyHistogram::bucket_of(UINT64_MAX), LatencyHistogram::kBucketCount - 1);
  EXPECT_EQ(LatencyHistogram::bucket_highest(LatencyHistogram::kBucketCount - 1), UINT64_MAX);
}

TEST(LatencyHistogram, EmptyReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.value_at_percentile(50), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(LatencyHistogram, ConstantValue) {
  LatencyHistogram h;
  for (int i = 0; i < 1000; ++i) h.record(12345);
  for (double p : {0.0, 50.0, 99.9, 100.0}) EXPECT_EQ(h.value_at_percentile(p), 12345u);
  EXPECT_DOUBLE_EQ(h.mean(), 12345.0);
}

TEST(LatencyHistogram, UniformPercentilesWithinBucketPrecision) {
  LatencyHistogram h;
  for (std::uint64_t v = 1; v <= 1'000'000; ++v) h.record(v);
  for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9}) {
    expect_near_relative(h.value_at_percentile(p), p / 100.0 * 1e6);
  }
  EXPECT_EQ(h.value_at_percentile(100), 1'000'000u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_NEAR(h.mean(), 500000.5, 1e-6);
}

TEST(LatencyHistogram, ExponentialPercentilesWithinBucketPrecision) {
  std::mt19937_64 random(42);
  std::exponential_distribution<double> exponential(1.0 / 50'000.0);  // mean 50 us in ns
  LatencyHistogram h;
  const int n = 2'000'000;
  for (int i = 0; i < n; ++i) h.record(static_cast<std::uint64_t>(exponential(random)));
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const double exact = -50'000.0 * std::log(1.0 - p / 100.0);
    // Bucket precision plus the sampling error of the empirical quantile (a few 0.1 %).
    EXPECT_NEAR(static_cast<double>(h.value_at_percentile(p)), exact, exact * 0.03) << p;
  }
}

TEST(LatencyHistogram, MergeEqualsRecordingEverything) {
  LatencyHistogram a, b, all;
  for (std::uint64_t v = 0; v < 5000; ++v) {
    (v % 3 ? a : b).record(v * 997);
    all.record(v * 997);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  for (double p : {0.0, 25.0, 50.0, 99.0, 100.0}) {
    EXPECT_EQ(a.value_at_percentile(p), all.value_at_percentile(p));
  }
}

TEST(LatencyHistogram, TailOfABimodalDistribution) {
  LatencyHistogram h;
  for (int i = 0; i < 990; ++i) h.record(10'000);    // 10 us
  for (int i = 0; i < 10; ++i) h.record(5'000'000);  // 5 ms stalls: 1 %
  expect_near_relative(h.value_at_percentile(99.0), 10'000);
  expect_near_relative(h.value_at_percentile(99.1), 5'000'000);
  EXPECT_EQ(h.max(), 5'000'000u);
}

}  // namespace
}  // namespace echo::bench
