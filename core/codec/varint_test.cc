#include "core/codec/varint.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/codec/testing/decoding.h"

namespace echo {
namespace {

using testing::bytes;

TEST(Varint, EncodesKnownValues) {
  struct Case {
    std::uint64_t value;
    std::vector<std::byte> wire;
  };
  const Case cases[] = {
      {0, bytes({0x00})},
      {1, bytes({0x01})},
      {127, bytes({0x7F})},
      {128, bytes({0x80, 0x01})},
      {300, bytes({0xAC, 0x02})},
      {16384, bytes({0x80, 0x80, 0x01})},
      {std::numeric_limits<std::uint64_t>::max(),
       bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})},
  };
  for (const Case& c : cases) {
    std::vector<std::byte> out;
    encode_varint(out, c.value);
    EXPECT_EQ(out, c.wire) << c.value;
    EXPECT_EQ(varint_size(c.value), c.wire.size()) << c.value;
    const VarintDecoded d = decode_varint(c.wire);
    EXPECT_EQ(d.status, VarintStatus::kOk) << c.value;
    EXPECT_EQ(d.value, c.value);
    EXPECT_EQ(d.size, c.wire.size());
  }
}

TEST(Varint, RoundTripsEveryBitWidth) {
  for (int bits = 0; bits < 64; ++bits) {
    for (std::uint64_t v : {std::uint64_t{1} << bits, (std::uint64_t{1} << bits) - 1}) {
      std::vector<std::byte> out;
      encode_varint(out, v);
      out.push_back(std::byte{0x55});  // trailing bytes are not read
      const VarintDecoded d = decode_varint(out);
      ASSERT_EQ(d.status, VarintStatus::kOk);
      EXPECT_EQ(d.value, v);
      EXPECT_EQ(d.size, out.size() - 1);
    }
  }
}

TEST(Varint, ReportsIncompleteUntilTheLastByte) {
  std::vector<std::byte> out;
  encode_varint(out, 1ULL << 40);
  for (std::size_t n = 0; n < out.size(); ++n) {
    EXPECT_EQ(decode_varint(std::span(out).first(n)).status, VarintStatus::kIncomplete) << n;
  }
}

TEST(Varint, RejectsMoreThanTenBytes) {
  const auto wire = bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  const VarintDecoded d = decode_varint(wire);
  EXPECT_EQ(d.status, VarintStatus::kTooLong);
  EXPECT_EQ(d.size, 10u);
}

TEST(Varint, RejectsValuesPast64Bits) {
  const auto wire = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02});
  EXPECT_EQ(decode_varint(wire).status, VarintStatus::kOverflow);
}

TEST(Varint, RejectsNonMinimalEncodings) {
  const VarintDecoded zero = decode_varint(bytes({0x80, 0x00}));
  EXPECT_EQ(zero.status, VarintStatus::kNonMinimal);
  EXPECT_EQ(zero.value, 0u);
  EXPECT_EQ(zero.size, 2u);
  const VarintDecoded five = decode_varint(bytes({0x85, 0x80, 0x00}));
  EXPECT_EQ(five.status, VarintStatus::kNonMinimal);
  EXPECT_EQ(five.value, 5u);
  EXPECT_EQ(five.size, 3u);
}

}  // namespace
}  // namespace echo
