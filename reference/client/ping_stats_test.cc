#include "reference/client/ping_stats.h"

#include <gtest/gtest.h>

#include <chrono>

namespace echo::client {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(PingStats, NothingSentIsAllZero) {
  PingSummary s = PingStats().summary();
  EXPECT_EQ(s.sent, 0u);
  EXPECT_EQ(s.loss_percent, 0);
  EXPECT_EQ(s.max_ms, 0);
}

TEST(PingStats, MinAvgMaxOfTheReplies) {
  PingStats stats;
  for (int ms : {3, 1, 2}) {
    stats.on_sent();
    stats.on_reply(milliseconds(ms));
  }
  PingSummary s = stats.summary();
  EXPECT_DOUBLE_EQ(s.min_ms, 1);
  EXPECT_DOUBLE_EQ(s.avg_ms, 2);
  EXPECT_DOUBLE_EQ(s.max_ms, 3);
  EXPECT_DOUBLE_EQ(s.p99_ms, 3);  // fewer than 100 replies: the largest
}

TEST(PingStats, P99IsTheNearestRank) {
  PingStats stats;
  for (int ms = 200; ms >= 1; --ms) {
    stats.on_sent();
    stats.on_reply(milliseconds(ms));
  }
  EXPECT_DOUBLE_EQ(stats.summary().p99_ms, 198);  // rank ceil(0.99 * 200) = 198
}

TEST(PingStats, LossIsTheShareWithoutReply) {
  PingStats stats;
  for (int i = 0; i < 4; ++i) stats.on_sent();
  stats.on_reply(microseconds(142));
  PingSummary s = stats.summary();
  EXPECT_EQ(s.received, 1u);
  EXPECT_DOUBLE_EQ(s.loss_percent, 75);
  EXPECT_DOUBLE_EQ(s.max_ms, 0.142);
}

TEST(PingStats, ReplyLineLooksLikePing) {
  EXPECT_EQ(format_reply_line(3, microseconds(142)), "seq=3 time=0.142 ms");
}

TEST(PingStats, SummaryHasCountsAndTimes) {
  PingStats stats;
  stats.on_sent();
  stats.on_reply(microseconds(80));
  stats.on_sent();
  stats.on_reply(microseconds(142));
  EXPECT_EQ(format_summary(stats.summary()),
            "2 probes sent, 2 received, 0.0% loss\n"
            "rtt min/avg/max/p99 = 0.080/0.111/0.142/0.142 ms\n");
}

TEST(PingStats, SummaryWithoutRepliesOmitsTimes) {
  PingStats stats;
  stats.on_sent();
  EXPECT_EQ(format_summary(stats.summary()), "1 probes sent, 0 received, 100.0% loss\n");
}

}  // namespace
}  // namespace echo::client
