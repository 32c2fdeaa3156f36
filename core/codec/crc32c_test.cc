#include "core/codec/crc32c.h"

#include <gtest/gtest.h>

#include "core/codec/testing/decoding.h"

namespace echo {
namespace {

using testing::bytes;

TEST(Crc32c, MatchesTheStandardCheckValue) { EXPECT_EQ(crc32c(bytes("123456789")), 0xE3069283u); }

TEST(Crc32c, MatchesRfc3720TestVectors) {
  // RFC 3720 (iSCSI), appendix B.4.
  EXPECT_EQ(crc32c(std::vector<std::byte>(32, std::byte{0x00})), 0x8A9136AAu);
  EXPECT_EQ(crc32c(std::vector<std::byte>(32, std::byte{0xFF})), 0x62A8AB43u);
  std::vector<std::byte> ascending;
  for (int i = 0; i < 32; ++i) ascending.push_back(static_cast<std::byte>(i));
  EXPECT_EQ(crc32c(ascending), 0x46DD794Eu);
}

TEST(Crc32c, OfNothingIsZero) { EXPECT_EQ(crc32c({}), 0u); }

TEST(Crc32c, ExtendEqualsOneShotAtEverySplit) {
  const auto data = bytes("The quick brown fox jumps over the lazy dog");
  const std::uint32_t whole = crc32c(data);
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    const std::span<const std::byte> all(data);
    EXPECT_EQ(crc32c_extend(crc32c(all.first(cut)), all.subspan(cut)), whole) << cut;
  }
}

TEST(Crc32c, DetectsEverySingleBitFlip) {
  auto data = bytes("probe record header and payload");
  const std::uint32_t original = crc32c(data);
  for (std::size_t i = 0; i < data.size() * 8; ++i) {
    data[i / 8] ^= static_cast<std::byte>(1 << (i % 8));
    EXPECT_NE(crc32c(data), original) << "bit " << i;
    data[i / 8] ^= static_cast<std::byte>(1 << (i % 8));
  }
}

}  // namespace
}  // namespace echo
