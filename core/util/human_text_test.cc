#include "core/util/human_text.h"

#include <gtest/gtest.h>

namespace echo {
namespace {

TEST(WithCommas, GroupsTheDigitsInThrees) {
  EXPECT_EQ(with_commas(0), "0");
  EXPECT_EQ(with_commas(999), "999");
  EXPECT_EQ(with_commas(1000), "1,000");
  EXPECT_EQ(with_commas(70221), "70,221");
  EXPECT_EQ(with_commas(1234567), "1,234,567");
  EXPECT_EQ(with_commas(18446744073709551615U), "18,446,744,073,709,551,615");
}

TEST(UtcIso8601, WritesUtcToTheSecond) {
  EXPECT_EQ(utc_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utc_iso8601(1714564800), "2024-05-01T12:00:00Z");
}

}  // namespace
}  // namespace echo
