#include "conformance/oracle/payload.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "conformance/oracle/random.h"

namespace echo::conformance {
namespace {

TEST(PayloadStream, SameSeedAndStreamGiveTheSameBytes) {
  EXPECT_EQ(PayloadStream(42, 1).prefix(1000), PayloadStream(42, 1).prefix(1000));
}

TEST(PayloadStream, DifferentSeedOrStreamGiveDifferentBytes) {
  const auto base = PayloadStream(42, 1).prefix(64);
  EXPECT_NE(base, PayloadStream(43, 1).prefix(64));
  EXPECT_NE(base, PayloadStream(42, 2).prefix(64));
}

TEST(PayloadStream, FillAtAnyOffsetMatchesByteAt) {
  const PayloadStream payload(7, 3);
  for (std::uint64_t offset : {0ull, 1ull, 7ull, 8ull, 13ull, 4095ull, 67108863ull}) {
    std::vector<std::byte> chunk(29);
    payload.fill(offset, chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      ASSERT_EQ(chunk[i], payload.byte_at(offset + i)) << "offset " << offset << " + " << i;
    }
  }
}

TEST(PayloadStream, ChunkedFillEqualsOneFill) {
  const PayloadStream payload(9, 0);
  const auto whole = payload.prefix(10'000);
  std::vector<std::byte> pieces(whole.size());
  ChunkSizer sizer(1, 1, 700);
  for (std::size_t at = 0; at < pieces.size();) {
    const std::size_t n = std::min(sizer.next(), pieces.size() - at);
    payload.fill(at, std::span(pieces).subspan(at, n));
    at += n;
  }
  EXPECT_EQ(whole, pieces);
}

TEST(PayloadStream, UsesEveryByteValue) {
  const auto bytes = PayloadStream(1, 1).prefix(1 << 16);
  std::set<std::byte> seen(bytes.begin(), bytes.end());
  EXPECT_EQ(seen.size(), 256u);
}

TEST(ChunkSizer, StaysInRangeAndIsDeterministic) {
  ChunkSizer a(5, 3, 100);
  ChunkSizer b(5, 3, 100);
  std::set<std::size_t> sizes;
  for (int i = 0; i < 10'000; ++i) {
    const std::size_t n = a.next();
    ASSERT_EQ(n, b.next());
    ASSERT_GE(n, 3u);
    ASSERT_LE(n, 100u);
    sizes.insert(n);
  }
  EXPECT_TRUE(sizes.count(3) && sizes.count(100)) << "both ends of the range occur";
  EXPECT_GT(sizes.size(), 90u);
}

TEST(Rng, BetweenIsInclusiveAndDegenerateRangesGiveLow) {
  Rng rng(11);
  EXPECT_EQ(rng.between(5, 5), 5u);
  EXPECT_EQ(rng.between(9, 2), 9u);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(rng.between(0, 3));
  EXPECT_EQ(seen, (std::set<std::uint64_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace echo::conformance
