#include "reference/server/guard/datagram_guard.h"

#include <gtest/gtest.h>

#include <string>

#include "core/address/parse.h"

namespace echo::server {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::nanoseconds kStart = 1000s;

Endpoint endpoint(const std::string& text) {
  Result<Endpoint> parsed = parse_endpoint(text, 0, PortRule::kZeroMeansAny);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : Endpoint{};
}

GuardSettings guarded() {
  GuardSettings settings;
  settings.loop_guard = true;
  settings.policy.own_ports = {7007};
  settings.rate = {.per_second = 1000, .burst = 10};
  settings.seed = 3;
  return settings;
}

class DatagramGuardTest : public ::testing::Test {
 protected:
  // Offers `count` datagrams "payload <i>" from `from` to 127.0.0.1:7007; how many are admitted.
  int offer(DatagramGuard& guard, const std::string& from, int count,
            std::chrono::nanoseconds now = kStart) {
    const Endpoint peer = endpoint(from);
    int admitted = 0;
    for (int i = 0; i < count; ++i) {
      const std::string payload = "payload " + std::to_string(i);
      admitted += guard.admit(peer.sockaddr_ptr(), peer.sockaddr_len(), endpoint("127.0.0.1:7007"),
                              std::as_bytes(std::span(payload)), 1, now)
                      ? 1
                      : 0;
    }
    return admitted;
  }
  Counters counters_;
};

TEST_F(DatagramGuardTest, CountsEachRefusalByItsReason) {
  DatagramGuard guard(guarded(), counters_, nullptr);
  EXPECT_EQ(offer(guard, "127.0.0.2:7007", 2), 0);
  EXPECT_EQ(offer(guard, "127.0.0.1:19", 3), 0);
  EXPECT_EQ(offer(guard, "127.0.0.1:0", 1), 0);
  EXPECT_EQ(offer(guard, "224.0.0.1:5000", 1), 0);
  EXPECT_EQ(offer(guard, "127.0.0.1:45678", 1), 1);
  EXPECT_EQ(counters_.datagrams_refused_own_port, 2u);
  EXPECT_EQ(counters_.datagrams_refused_service_port, 3u);
  EXPECT_EQ(counters_.datagrams_refused_port_zero, 1u);
  EXPECT_EQ(counters_.datagrams_refused_not_unicast, 1u);
  EXPECT_EQ(counters_.datagrams_rate_limited, 0u);
}

TEST_F(DatagramGuardTest, LimitsSourcesOffThisHostButNotLoopbackByDefault) {
  DatagramGuard guard(guarded(), counters_, nullptr);
  EXPECT_EQ(offer(guard, "192.0.2.1:45678", 100), 10);
  EXPECT_EQ(counters_.datagrams_rate_limited, 90u);
  EXPECT_EQ(offer(guard, "127.0.0.1:45678", 100'000), 100'000);
}

TEST_F(DatagramGuardTest, LimitsLoopbackTooWhenAsked) {
  GuardSettings settings = guarded();
  settings.rate_limit_loopback = true;
  DatagramGuard guard(settings, counters_, nullptr);
  EXPECT_EQ(offer(guard, "127.0.0.1:45678", 100), 10);
  EXPECT_EQ(offer(guard, "127.0.0.1:45679", 100, kStart + 10ms), 10) << "per address, not port";
}

TEST_F(DatagramGuardTest, RefusesOurOwnEchoComingBack) {
  DatagramGuard guard(guarded(), counters_, nullptr);
  const Endpoint other_server = endpoint("127.0.0.1:40001");
  const std::string bounced = "spoofed";
  int answered = 0;
  for (int i = 0; i < 100; ++i) {
    answered += guard.admit(other_server.sockaddr_ptr(), other_server.sockaddr_len(), {},
                            std::as_bytes(std::span(bounced)), 1, kStart + i * 20us)
                    ? 1
                    : 0;
  }
  EXPECT_EQ(answered, 3);
  EXPECT_EQ(counters_.datagrams_refused_loop, 97u);
}

TEST_F(DatagramGuardTest, WithoutTheLoopGuardOnlyTheRateLimitRemains) {
  GuardSettings settings = guarded();
  settings.loop_guard = false;
  settings.rate_limit_loopback = true;
  DatagramGuard guard(settings, counters_, nullptr);
  EXPECT_EQ(offer(guard, "127.0.0.2:7007", 5), 5);
  EXPECT_EQ(offer(guard, "127.0.0.2:19", 20), 5);
  EXPECT_EQ(counters_.datagrams_rate_limited, 15u);
}

TEST_F(DatagramGuardTest, TheDefaultSettingsAnswerEverything) {
  DatagramGuard guard(GuardSettings{}, counters_, nullptr);
  EXPECT_FALSE(guard.active());
  EXPECT_EQ(offer(guard, "127.0.0.1:7", 10), 10);
  EXPECT_EQ(offer(guard, "127.0.0.1:0", 10), 10);
}

TEST_F(DatagramGuardTest, ARefusedGroBurstCountsEveryDatagramInIt) {
  DatagramGuard guard(guarded(), counters_, nullptr);
  const Endpoint chargen = endpoint("127.0.0.1:19");
  const std::string burst(300, 'x');
  EXPECT_FALSE(guard.admit(chargen.sockaddr_ptr(), chargen.sockaddr_len(), {},
                           std::as_bytes(std::span(burst)), 3, kStart));
  EXPECT_EQ(counters_.datagrams_refused_service_port, 3u);
}

}  // namespace
}  // namespace echo::server
