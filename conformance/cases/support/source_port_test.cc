#include "conformance/cases/support/source_port.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/net/socket.h"

namespace echo::conformance {
namespace {

Endpoint v4(const char* text, std::uint16_t port = 0) {
  in_addr address{};
  EXPECT_EQ(::inet_pton(AF_INET, text, &address), 1) << text;
  return Endpoint::v4(address, port);
}

std::vector<std::string> addresses(const std::vector<Endpoint>& endpoints) {
  std::vector<std::string> out;
  for (const Endpoint& e : endpoints) out.push_back(e.to_string());
  return out;
}

TEST(SourceCandidates, LoopbackTargetGetsTheRouteSourceThenOtherLoopbackAddresses) {
  EXPECT_EQ(addresses(source_candidates(v4("127.0.0.1", 7007), v4("127.0.0.1", 41000))),
            (std::vector<std::string>{"127.0.0.1:0", "127.0.0.2:0", "127.0.0.3:0", "127.0.0.4:0"}));
}

TEST(SourceCandidates, ARemoteTargetGetsOnlyTheRouteSource) {
  EXPECT_EQ(addresses(source_candidates(v4("192.0.2.7", 7), v4("192.0.2.1"))),
            (std::vector<std::string>{"192.0.2.1:0"}));
}

// A target on one of this host's own addresses is reached from loopback too.
TEST(SourceCandidates, ATargetOnThisHostAlsoGetsLoopbackAddresses) {
  const auto candidates = source_candidates(v4("10.1.2.3", 7007), v4("10.1.2.3"));
  ASSERT_EQ(candidates.size(), 5u);
  EXPECT_EQ(candidates.front().to_string(), "10.1.2.3:0");
  EXPECT_EQ(candidates.back().to_string(), "127.0.0.4:0");
}

TEST(SourceCandidates, Ipv6LoopbackHasOneAddress) {
  EXPECT_EQ(addresses(source_candidates(Endpoint::loopback_v6(7007), Endpoint::loopback_v6(5))),
            (std::vector<std::string>{"[::1]:0"}));
}

TEST(SourceCandidates, NoRouteSourceAndARemoteTargetGiveNothing) {
  EXPECT_TRUE(source_candidates(v4("192.0.2.7", 7), Endpoint{}).empty());
}

// A server bound to 127.0.0.1:P leaves P free on 127.0.0.2: the checker can
// send from the server's own port without privileges.
TEST(BindSourcePort, TheServersOwnPortIsTakenOnAnotherLoopbackAddress) {
  Result<Fd> server = udp_bind(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.ok()) << server.error().message;
  Result<Endpoint> bound = local_endpoint(server->get());
  ASSERT_TRUE(bound.ok());
  Result<SourcePortSocket> source =
      bind_source_port(*bound, bound->port(), Deadline::after(std::chrono::seconds(2)));
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(source->local.port(), bound->port());
  EXPECT_NE(source->local.address_string(), "127.0.0.1");
}

// IPv6 loopback has no second address: the port stays busy, and the error
// says where it looked, with its code kept, so the case can skip with the reason.
TEST(BindSourcePort, APortTakenOnEveryCandidateIsAddressInUse) {
  Result<Fd> server = udp_bind(Endpoint::loopback_v6(0), false);
  if (!server) GTEST_SKIP() << "no IPv6 loopback here: " << server.error().message;
  Result<Endpoint> bound = local_endpoint(server->get());
  ASSERT_TRUE(bound.ok());
  Result<SourcePortSocket> source =
      bind_source_port(*bound, bound->port(), Deadline::after(std::chrono::milliseconds(50)));
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code, std::errc::address_in_use);
  EXPECT_NE(source.error().message.find("in use on every local address"), std::string::npos)
      << source.error().message;
  EXPECT_NE(source.error().message.find("::1"), std::string::npos) << source.error().message;
}

}  // namespace
}  // namespace echo::conformance
