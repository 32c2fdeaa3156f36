#include "reference/server/counters.h"

#include <gtest/gtest.h>

namespace echo::server {
namespace {

TEST(ParseCounters, ReadsBackWhatFormatCountersWrites) {
  Counters counters;
  counters.connections_accepted = 3;
  counters.bytes_in = 10;
  counters.datagrams_rate_limited = 18446744073709551615U;
  const auto parsed = parse_counters("log line\n" + format_counters(counters) + "\n");
  EXPECT_EQ(parsed.at("connections_accepted"), 3u);
  EXPECT_EQ(parsed.at("bytes_in"), 10u);
  EXPECT_EQ(parsed.at("bytes_out"), 0u);
  EXPECT_EQ(parsed.at("datagrams_rate_limited"), 18446744073709551615U);
}

TEST(ParseCounters, TakesTheLastLineAndSkipsWhatIsNotANumber) {
  const auto parsed =
      parse_counters("counters: a=1 b=2\ncounters: a=5 junk c=x d=-1 e=99999999999999999999 f=7\n");
  EXPECT_EQ(parsed, (std::map<std::string, std::uint64_t>{{"a", 5}, {"f", 7}}));
}

TEST(ParseCounters, IsEmptyWithoutACountersLine) {
  EXPECT_TRUE(parse_counters("").empty());
  EXPECT_TRUE(parse_counters("listening tcp 127.0.0.1:7\n").empty());
}

}  // namespace
}  // namespace echo::server
