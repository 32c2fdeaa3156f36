#include "core/codec/big_endian.h"

#include <gtest/gtest.h>

#include "core/codec/testing/decoding.h"

namespace echo {
namespace {

using testing::bytes;

TEST(BigEndian, AppendWritesMostSignificantByteFirst) {
  std::vector<std::byte> out;
  append_be8(out, 0x01);
  append_be16(out, 0x0203);
  append_be32(out, 0x04050607);
  append_be64(out, 0x08090A0B0C0D0E0FULL);
  std::vector<std::byte> expected;
  for (int i = 1; i <= 0x0F; ++i) expected.push_back(static_cast<std::byte>(i));
  EXPECT_EQ(out, expected);
}

TEST(BigEndian, LoadReadsOnlyTheFirstBytes) {
  const auto in = bytes({0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x23, 0x45, 0x67, 0xFF});
  EXPECT_EQ(load_be16(in), 0xDEAD);
  EXPECT_EQ(load_be32(in), 0xDEADBEEFu);
  EXPECT_EQ(load_be64(in), 0xDEADBEEF01234567ULL);
}

TEST(BigEndian, RoundTripsExtremeValues) {
  for (std::uint64_t v : {0ULL, 1ULL, 0x8000000000000000ULL, ~0ULL}) {
    std::vector<std::byte> out;
    append_be64(out, v);
    append_be32(out, static_cast<std::uint32_t>(v));
    EXPECT_EQ(load_be64(out), v);
    EXPECT_EQ(load_be32(std::span(out).subspan(8)), static_cast<std::uint32_t>(v));
  }
}

TEST(BigEndianDeathTest, LoadPastTheEndAborts) {
  const auto in = bytes({1, 2, 3});
  EXPECT_DEATH((void)load_be32(in), "big-endian load past the end");
}

}  // namespace
}  // namespace echo
