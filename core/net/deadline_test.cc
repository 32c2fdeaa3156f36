#include "core/net/deadline.h"

#include <gtest/gtest.h>

namespace echo {
namespace {

using namespace std::chrono_literals;

TEST(Deadline, NeverWaitsForeverInPoll) {
  Deadline d = Deadline::never();
  EXPECT_TRUE(d.is_never());
  EXPECT_FALSE(d.expired());
  EXPECT_EQ(d.poll_timeout_ms(), -1);
  EXPECT_EQ(d.remaining(), Deadline::Clock::duration::max());
}

TEST(Deadline, PastDeadlineIsExpiredWithZeroTimeout) {
  Deadline d = Deadline::at(Deadline::Clock::now() - 1s);
  EXPECT_TRUE(d.expired());
  EXPECT_EQ(d.poll_timeout_ms(), 0);
  EXPECT_EQ(d.remaining(), Deadline::Clock::duration::zero());
}

TEST(Deadline, PollTimeoutRoundsUpSoPollNeverWakesEarly) {
  Deadline d = Deadline::after(1500us);
  int ms = d.poll_timeout_ms();
  EXPECT_GE(ms, 1);
  EXPECT_LE(ms, 2);
  Deadline later = Deadline::after(10s);
  EXPECT_GT(later.poll_timeout_ms(), 9000);
  EXPECT_LE(later.poll_timeout_ms(), 10000);
}

TEST(Deadline, MinPicksTheEarlier) {
  Deadline soon = Deadline::after(1s);
  Deadline late = Deadline::after(1h);
  EXPECT_EQ(soon.min(late).when(), soon.when());
  EXPECT_EQ(late.min(soon).when(), soon.when());
  EXPECT_EQ(Deadline::never().min(soon).when(), soon.when());
}

}  // namespace
}  // namespace echo
