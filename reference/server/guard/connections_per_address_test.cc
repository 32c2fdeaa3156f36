#include "reference/server/guard/connections_per_address.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/address/parse.h"

namespace echo::server {
namespace {

Endpoint endpoint(const std::string& text) {
  Result<Endpoint> parsed = parse_endpoint(text, 0, PortRule::kZeroMeansAny);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : Endpoint{};
}

TEST(ConnectionsPerAddress, RefusesAboveTheLimitPerAddress) {
  ConnectionsPerAddress open(2, 1);
  EXPECT_TRUE(open.try_add(endpoint("192.0.2.1:1000")));
  EXPECT_TRUE(open.try_add(endpoint("192.0.2.1:1001")));
  EXPECT_FALSE(open.try_add(endpoint("192.0.2.1:1002")));
  EXPECT_TRUE(open.try_add(endpoint("192.0.2.2:1000"))) << "another address has its own count";
  open.remove(endpoint("192.0.2.1:1000"));
  EXPECT_TRUE(open.try_add(endpoint("192.0.2.1:1003")));
  EXPECT_EQ(open.open_from(endpoint("192.0.2.1:1")), 2u);
}

TEST(ConnectionsPerAddress, CountsAnIpv6Slash64AsOneAddress) {
  ConnectionsPerAddress open(1, 1);
  EXPECT_TRUE(open.try_add(endpoint("[2001:db8:0:1::1]:1000")));
  EXPECT_FALSE(open.try_add(endpoint("[2001:db8:0:1::2]:1000")));
  EXPECT_TRUE(open.try_add(endpoint("[2001:db8:0:2::1]:1000")));
}

TEST(ConnectionsPerAddress, ForgetsAnAddressWithNoConnections) {
  ConnectionsPerAddress open(1, 1);
  ASSERT_TRUE(open.try_add(endpoint("192.0.2.1:1000")));
  open.remove(endpoint("192.0.2.1:1000"));
  open.remove(endpoint("192.0.2.1:1000"));  // one too many: ignored
  EXPECT_EQ(open.open_from(endpoint("192.0.2.1:1000")), 0u);
  EXPECT_TRUE(open.try_add(endpoint("192.0.2.1:1000")));
}

TEST(ConnectionsPerAddress, ZeroIsNoLimit) {
  ConnectionsPerAddress open(0, 1);
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(open.try_add(endpoint("192.0.2.1:1000")));
  EXPECT_EQ(open.open_from(endpoint("192.0.2.1:1000")), 0u) << "nothing is tracked";
}

TEST(ConnectionsPerAddress, IsSharedSafelyByThreads) {
  // Event loops add and remove concurrently; the limit holds and the counts end at zero.
  constexpr int kThreads = 4;
  constexpr int kRounds = 20'000;
  ConnectionsPerAddress open(kThreads / 2, 1);
  std::atomic<int> above_limit{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      const Endpoint peer = endpoint("192.0.2.1:1000");
      for (int i = 0; i < kRounds; ++i) {
        if (!open.try_add(peer)) continue;
        if (open.open_from(peer) > kThreads / 2) ++above_limit;
        open.remove(peer);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(above_limit.load(), 0);
  EXPECT_EQ(open.open_from(endpoint("192.0.2.1:1000")), 0u);
}

}  // namespace
}  // namespace echo::server
