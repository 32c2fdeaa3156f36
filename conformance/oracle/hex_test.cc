#include "conformance/oracle/hex.h"

#include <gtest/gtest.h>

#include <vector>

namespace echo::conformance {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

TEST(HexExcerpt, BracketsTheMarkedByte) {
  EXPECT_EQ(hex_excerpt(bytes({0x00, 0xab, 0xff}), 1), "00 [ab] ff");
}

TEST(HexExcerpt, SaysHowManyBytesWereLeftOut) {
  EXPECT_EQ(hex_excerpt(bytes({1, 2, 3, 4}), kNoMark, 2), "01 02 ...(+2 bytes)");
}

TEST(QuotedText, EscapesControlAndHighBytes) {
  EXPECT_EQ(quoted_text(bytes({'h', 'i', '\r', '\n', 0, 0xff, '"'})), R"("hi\r\n\x00\xff\"")");
}

}  // namespace
}  // namespace echo::conformance
