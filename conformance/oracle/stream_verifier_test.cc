#include "conformance/oracle/stream_verifier.h"

#include <gtest/gtest.h>

#include <vector>

#include "conformance/oracle/random.h"

namespace echo::conformance {
namespace {

constexpr std::uint64_t kSeed = 1234;

std::vector<std::byte> expected_bytes(std::size_t n) { return PayloadStream(kSeed, 0).prefix(n); }

StreamVerifier verifier(std::uint64_t n) {
  return StreamVerifier::for_payload(PayloadStream(kSeed, 0), n);
}

// Feeds `data` in pieces of `piece` bytes.
void feed_in_pieces(StreamVerifier& v, std::span<const std::byte> data, std::size_t piece) {
  for (std::size_t at = 0; at < data.size(); at += piece) {
    v.feed(data.subspan(at, std::min(piece, data.size() - at)));
  }
}

TEST(StreamVerifier, ExactStreamInRandomChunksIsComplete) {
  const auto data = expected_bytes(100'000);
  StreamVerifier v = verifier(data.size());
  ChunkSizer sizer(3, 1, 9000);
  for (std::size_t at = 0; at < data.size();) {
    const std::size_t n = std::min(sizer.next(), data.size() - at);
    ASSERT_TRUE(v.feed(std::span(data).subspan(at, n)));
    at += n;
  }
  EXPECT_TRUE(v.complete());
  EXPECT_EQ(v.received(), data.size());
  EXPECT_EQ(v.describe(), "");
}

TEST(StreamVerifier, MismatchAtFirstByteIsOffsetZero) {
  auto data = expected_bytes(100);
  data[0] ^= std::byte{1};
  StreamVerifier v = verifier(data.size());
  EXPECT_FALSE(v.feed(data));
  ASSERT_TRUE(v.mismatch());
  EXPECT_EQ(v.mismatch()->offset, 0u);
  EXPECT_EQ(v.mismatch()->window_start, 0u);
  EXPECT_EQ(v.mismatch()->received[0], data[0]);
  EXPECT_EQ(v.mismatch()->expected[0], data[0] ^ std::byte{1});
  EXPECT_EQ(v.verified(), 0u);
}

TEST(StreamVerifier, MismatchInTheMiddleHasExactOffsetAndExcerpts) {
  auto data = expected_bytes(50'000);
  data[31'337] = ~data[31'337];
  StreamVerifier v = verifier(data.size());
  feed_in_pieces(v, data, 4096);
  ASSERT_TRUE(v.mismatch());
  const Mismatch& m = *v.mismatch();
  EXPECT_EQ(m.offset, 31'337u);
  EXPECT_EQ(m.window_start, 31'337u - Mismatch::kBefore);
  const auto begin = data.begin() + static_cast<std::ptrdiff_t>(m.window_start);
  EXPECT_EQ(m.received,
            std::vector<std::byte>(begin, begin + Mismatch::kBefore + Mismatch::kAfter));
  EXPECT_EQ(m.expected.size(), Mismatch::kBefore + Mismatch::kAfter);
  EXPECT_NE(m.expected[Mismatch::kBefore], m.received[Mismatch::kBefore]);
  EXPECT_NE(v.describe().find("first mismatch at byte 31337 of 50000"), std::string::npos)
      << v.describe();
  EXPECT_EQ(v.received(), data.size()) << "bytes after the mismatch are still counted";
}

TEST(StreamVerifier, MismatchAtLastByteIsFound) {
  auto data = expected_bytes(1000);
  data.back() ^= std::byte{0x80};
  StreamVerifier v = verifier(data.size());
  feed_in_pieces(v, data, 333);
  ASSERT_TRUE(v.mismatch());
  EXPECT_EQ(v.mismatch()->offset, 999u);
  EXPECT_EQ(v.mismatch()->expected.size(), Mismatch::kBefore + 1) << "excerpt stops at the end";
  EXPECT_FALSE(v.complete());
}

TEST(StreamVerifier, MismatchInALaterChunkCollectsExcerptAcrossChunks) {
  auto data = expected_bytes(100);
  data[60] ^= std::byte{0xff};
  StreamVerifier v = verifier(data.size());
  EXPECT_TRUE(v.feed(std::span(data).first(60)));
  EXPECT_FALSE(v.feed(std::span(data).subspan(60, 1)));
  v.feed(std::span(data).subspan(61, 5));
  v.feed(std::span(data).subspan(66));
  ASSERT_TRUE(v.mismatch());
  EXPECT_EQ(v.mismatch()->offset, 60u);
  const auto begin = data.begin() + 52;
  EXPECT_EQ(v.mismatch()->received, std::vector<std::byte>(begin, begin + 24));
}

TEST(StreamVerifier, ExtraBytesAreCountedAndShown) {
  auto data = expected_bytes(10);
  data.push_back(std::byte{'\r'});
  data.push_back(std::byte{'\n'});
  StreamVerifier v = verifier(10);
  EXPECT_FALSE(v.feed(data));
  EXPECT_FALSE(v.mismatch());
  EXPECT_EQ(v.extra(), 2u);
  EXPECT_EQ(v.verified(), 10u);
  EXPECT_EQ(v.extra_excerpt(), (std::vector<std::byte>{std::byte{'\r'}, std::byte{'\n'}}));
  EXPECT_NE(v.describe().find("2 bytes beyond the 10 expected, starting 0d 0a \"\\r\\n\""),
            std::string::npos)
      << v.describe();
}

TEST(StreamVerifier, ReceivedExcerptRunsOnPastTheExpectedLength) {
  auto data = expected_bytes(100);
  data[95] ^= std::byte{1};
  for (int i = 0; i < 6; ++i) data.push_back(std::byte{0xee});
  StreamVerifier v = verifier(100);
  v.feed(data);
  ASSERT_TRUE(v.mismatch());
  EXPECT_EQ(v.mismatch()->offset, 95u);
  EXPECT_EQ(v.mismatch()->received, std::vector<std::byte>(data.begin() + 87, data.end()))
      << "bytes 87..105: the mismatch and the 6 extra bytes after the expected 100";
  EXPECT_EQ(v.extra(), 6u);
}

TEST(StreamVerifier, ShortStreamSaysHowMuchArrived) {
  const auto data = expected_bytes(100);
  StreamVerifier v = verifier(100);
  EXPECT_TRUE(v.feed(std::span(data).first(40)));
  EXPECT_TRUE(v.ok());
  EXPECT_FALSE(v.complete());
  EXPECT_EQ(v.missing(), 60u);
  EXPECT_EQ(v.describe(), "received 40 of 100 bytes");
  EXPECT_EQ(v.actual_line(), "only 40 bytes");
}

TEST(StreamVerifier, ForBytesComparesAgainstALiteral) {
  const std::string text = "hello\n";
  StreamVerifier v = StreamVerifier::for_bytes(
      std::vector<std::byte>(reinterpret_cast<const std::byte*>(text.data()),
                             reinterpret_cast<const std::byte*>(text.data()) + text.size()));
  const std::string echoed = "hello\r\n";
  v.feed(std::as_bytes(std::span(echoed)));
  ASSERT_TRUE(v.mismatch());
  EXPECT_EQ(v.mismatch()->offset, 5u);
  EXPECT_EQ(v.extra(), 1u);
}

TEST(StreamVerifier, EmptyExpectationWithNoBytesIsComplete) {
  StreamVerifier v = verifier(0);
  EXPECT_TRUE(v.complete());
  EXPECT_TRUE(v.feed({}));
}

}  // namespace
}  // namespace echo::conformance
