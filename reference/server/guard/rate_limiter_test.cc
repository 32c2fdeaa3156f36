#include "reference/server/guard/rate_limiter.h"

#include <gtest/gtest.h>

#include "reference/server/guard/test_sources.h"

namespace echo::server {
namespace {

using namespace std::chrono_literals;
using testing::source;

constexpr std::chrono::nanoseconds kStart = 1000s;  // any monotonic time

// How many of `count` datagrams sent at once at `now` are allowed.
int allowed_of(SourceRateLimiter& limiter, const AddressKey& key, int count,
               std::chrono::nanoseconds now) {
  int allowed = 0;
  for (int i = 0; i < count; ++i) allowed += limiter.allow(key, now) ? 1 : 0;
  return allowed;
}

TEST(SourceRateLimiter, AllowsTheBurstAtOnceThenTheRate) {
  SourceRateLimiter limiter({.per_second = 1000, .burst = 100}, 64, 1);
  const AddressKey client = source("192.0.2.1", 5000).address_key();
  EXPECT_EQ(allowed_of(limiter, client, 150, kStart), 100);
  EXPECT_EQ(allowed_of(limiter, client, 50, kStart + 10ms), 10);  // 1000/s for 10 ms
  EXPECT_EQ(allowed_of(limiter, client, 500, kStart + 1s), 100);  // full again, no more
}

TEST(SourceRateLimiter, SustainsExactlyTheRate) {
  SourceRateLimiter limiter({.per_second = 10'000, .burst = 10}, 64, 1);
  const AddressKey client = source("192.0.2.1", 5000).address_key();
  int allowed = 0;
  for (int ms = 0; ms < 1000; ++ms) {  // 50 datagrams per millisecond, 5x the rate
    allowed += allowed_of(limiter, client, 50, kStart + std::chrono::milliseconds(ms));
  }
  EXPECT_GE(allowed, 9'990);
  EXPECT_LE(allowed, 10'010);
}

TEST(SourceRateLimiter, KeepsSourcesApartButAnIpv6Slash64Together) {
  SourceRateLimiter limiter({.per_second = 1, .burst = 2}, 64, 1);
  EXPECT_EQ(allowed_of(limiter, source("192.0.2.1", 1).address_key(), 5, kStart), 2);
  EXPECT_EQ(allowed_of(limiter, source("192.0.2.2", 1).address_key(), 5, kStart), 2);
  EXPECT_EQ(allowed_of(limiter, source("2001:db8::1", 1).address_key(), 1, kStart), 1);
  EXPECT_EQ(allowed_of(limiter, source("2001:db8::2", 9).address_key(), 5, kStart), 1);
}

TEST(SourceRateLimiter, ABurstLargerThanTheBucketGoesOnlyFromAFullOneAndIsCharged) {
  SourceRateLimiter limiter({.per_second = 100, .burst = 10}, 64, 1);
  const AddressKey client = source("192.0.2.1", 5000).address_key();
  EXPECT_TRUE(limiter.allow(client, kStart, 30));
  EXPECT_FALSE(limiter.allow(client, kStart + 100ms, 1));  // 30 charged: 0.3 s to pay back
  EXPECT_TRUE(limiter.allow(client, kStart + 300ms, 1));
  EXPECT_FALSE(limiter.allow(client, kStart + 300ms, 30));  // not full
}

TEST(SourceRateLimiter, ZeroMeansNoLimit) {
  SourceRateLimiter limiter({.per_second = 0, .burst = 1}, 64, 1);
  EXPECT_FALSE(limiter.enabled());
  EXPECT_EQ(allowed_of(limiter, source("192.0.2.1", 1).address_key(), 100'000, kStart), 100'000);
}

TEST(SourceRateLimiter, AFloodOfSpoofedSourcesNeitherGrowsItNorFreesAHeavySender) {
  SourceRateLimiter limiter({.per_second = 10, .burst = 5}, 256, 42);
  const AddressKey heavy = source("192.0.2.1", 1).address_key();
  EXPECT_EQ(allowed_of(limiter, heavy, 1000, kStart), 5);  // deep in debt now
  // 100,000 sources, one datagram each: each is allowed (a new bucket), and each
  // costs a slot of the fixed table, taken from the least indebted.
  for (std::uint32_t i = 0; i < 100'000; ++i) {
    AddressKey spoofed = heavy;
    spoofed.low ^= static_cast<std::uint64_t>(i + 1) << 32;  // another IPv4 address
    ASSERT_TRUE(limiter.allow(spoofed, kStart + 1ms));
  }
  EXPECT_FALSE(limiter.allow(heavy, kStart + 2ms)) << "the flood reset the heavy sender";
}

}  // namespace
}  // namespace echo::server
