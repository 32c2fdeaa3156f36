#include "tools/bench/pacer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "tools/bench/histogram.h"

namespace echo::bench {
namespace {

constexpr std::int64_t kMs = 1'000'000;

TEST(Pacer, MessagesFallDueOnSchedule) {
  Pacer pacer(100 * kMs, 10 * kMs);
  EXPECT_FALSE(pacer.take_due(99 * kMs));
  EXPECT_EQ(pacer.take_due(100 * kMs), 100 * kMs);
  EXPECT_FALSE(pacer.take_due(105 * kMs));
  EXPECT_EQ(pacer.next_due_ns(), 110 * kMs);
  EXPECT_EQ(pacer.backlog(135 * kMs), 3u);  // 110, 120, 130
  EXPECT_EQ(pacer.take_due(135 * kMs), 110 * kMs);
  EXPECT_EQ(pacer.take_due(135 * kMs), 120 * kMs);
  EXPECT_EQ(pacer.take_due(135 * kMs), 130 * kMs);
  EXPECT_FALSE(pacer.take_due(135 * kMs));
  EXPECT_EQ(pacer.taken(), 4u);
}

// A fake clock drives a sender and a server that answers every message 1 ms
// after it is sent, except for one 100 ms stall during which nothing is sent
// or answered. Latency must be measured from the scheduled time, so the
// stall shows in every message that was due during it.
TEST(Pacer, StallIsChargedToEveryMessageScheduledDuringIt) {
  std::int64_t clock = 0;   // the fake clock, ns
  Pacer pacer(0, 1 * kMs);  // 1000 msg/s
  struct InFlight {
    std::int64_t stamp;
    std::int64_t answer_at;
  };
  std::deque<InFlight> in_flight;
  LatencyHistogram from_schedule, from_send;
  std::vector<std::int64_t> actual_send;
  const std::int64_t stall_from = 200 * kMs, stall_to = 300 * kMs;
  for (clock = 0; clock < 1000 * kMs; clock += kMs / 10) {
    const bool stalled = clock >= stall_from && clock < stall_to;
    if (stalled) continue;  // the sender is blocked: nothing leaves, nothing comes back
    while (!in_flight.empty() && in_flight.front().answer_at <= clock) {
      from_schedule.record(latency_ns(in_flight.front().stamp, clock));
      in_flight.pop_front();
    }
    while (auto scheduled = pacer.take_due(clock)) {
      in_flight.push_back({message_stamp(scheduled, clock), clock + kMs});
      from_send.record(latency_ns(clock, clock + kMs));  // what a closed-loop stamp would see
    }
  }
  // ~1000 messages, ~100 of them scheduled inside the stall.
  EXPECT_GE(from_schedule.count(), 995u);
  // Closed-loop stamps see no stall at all: every message took 1 ms.
  EXPECT_EQ(from_send.value_at_percentile(99.9), 1 * kMs);
  // From the schedule: the first message due in the stall waited ~101 ms, the
  // tenth percentile from the top (the stalled tenth of the run) >= 1 ms more.
  EXPECT_GE(from_schedule.max(), 100 * kMs);
  EXPECT_LE(from_schedule.max(), 102 * kMs);
  EXPECT_GE(from_schedule.value_at_percentile(95.0), 40 * kMs);
  EXPECT_LE(from_schedule.value_at_percentile(50.0), 2 * kMs);
}

TEST(Pacer, ClosedLoopStampIsTheSendTime) {
  EXPECT_EQ(message_stamp(std::nullopt, 42), 42);
  EXPECT_EQ(message_stamp(7, 42), 7);
  EXPECT_EQ(latency_ns(10, 5), 0u);
}

}  // namespace
}  // namespace echo::bench
