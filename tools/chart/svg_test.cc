#include "tools/chart/svg.h"

#include <gtest/gtest.h>

namespace echo::chart {
namespace {

TEST(SvgEscape, EscapesMarkupAndQuotesOnly) {
  EXPECT_EQ(svg_escape("a < b & \"c\" > d"), "a &lt; b &amp; &quot;c&quot; &gt; d");
  EXPECT_EQ(svg_escape("plain 99.9 %"), "plain 99.9 %");
  EXPECT_EQ(svg_escape("it's"), "it&#39;s");
}

TEST(NiceCeiling, RoundsUpToOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(nice_ceiling(734), 1000);
  EXPECT_EQ(nice_ceiling(180), 200);
  EXPECT_EQ(nice_ceiling(0.3), 0.5);
  EXPECT_EQ(nice_ceiling(200), 200);
  EXPECT_EQ(nice_ceiling(0), 1);
}

}  // namespace
}  // namespace echo::chart
