#include "reference/server/guard/source_policy.h"

#include <gtest/gtest.h>

#include "reference/server/guard/reflecting_services.h"
#include "reference/server/guard/test_sources.h"

namespace echo::server {
namespace {

using testing::endpoint;
using testing::source;

const SourcePolicy kPolicy({.own_ports = {7007, 40000}, .allowed_ports = {}, .broadcasts = {}});

TEST(SourcePolicy, AnswersAnEphemeralPortOnLoopback) {
  EXPECT_EQ(kPolicy.check(source("127.0.0.1", 45678), Endpoint{}), Refusal::kNone);
  EXPECT_EQ(kPolicy.check(source("::1", 45678), Endpoint{}), Refusal::kNone);
  EXPECT_EQ(kPolicy.check(source("192.0.2.7", 1024), Endpoint{}), Refusal::kNone);
}

TEST(SourcePolicy, RefusesEveryPortTheServerListensOn) {
  EXPECT_EQ(kPolicy.check(source("127.0.0.2", 7007), Endpoint{}), Refusal::kOwnPort);
  EXPECT_EQ(kPolicy.check(source("2001:db8::1", 40000), Endpoint{}), Refusal::kOwnPort);
  EXPECT_EQ(kPolicy.check(source("127.0.0.2", 7008), Endpoint{}), Refusal::kNone);
}

TEST(SourcePolicy, RefusesEveryReflectingServicePort) {
  for (const ReflectingService& service : kReflectingServices) {
    EXPECT_EQ(kPolicy.check(source("198.51.100.1", service.port), Endpoint{}),
              Refusal::kServicePort)
        << service.name;
  }
  for (std::uint16_t port : {7, 19, 53, 123}) {  // the examples, spelled out
    EXPECT_EQ(kPolicy.check(source("127.0.0.1", port), Endpoint{}), Refusal::kServicePort) << port;
  }
}

TEST(SourcePolicy, AnAllowedPortIsAnsweredWhetherOwnOrService) {
  const SourcePolicy open({.own_ports = {7007}, .allowed_ports = {7007, 53}, .broadcasts = {}});
  EXPECT_EQ(open.check(source("127.0.0.1", 7007), Endpoint{}), Refusal::kNone);
  EXPECT_EQ(open.check(source("127.0.0.1", 53), Endpoint{}), Refusal::kNone);
  EXPECT_EQ(open.check(source("127.0.0.1", 123), Endpoint{}), Refusal::kServicePort);
}

TEST(SourcePolicy, RefusesPortZero) {
  EXPECT_EQ(kPolicy.check(source("127.0.0.1", 0), Endpoint{}), Refusal::kPortZero);
}

TEST(SourcePolicy, RefusesSourcesThatCannotBeOneSender) {
  for (const char* address : {"0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
                              "255.255.255.255", "::", "ff02::1", "::ffff:224.0.0.1"}) {
    EXPECT_EQ(kPolicy.check(source(address, 45678), Endpoint{}), Refusal::kNotUnicast) << address;
  }
}

TEST(SourcePolicy, RefusesTheInterfacesDirectedBroadcasts) {
  const SourcePolicy policy({.own_ports = {}, .allowed_ports = {}, .broadcasts = {0xC0A801FF}});
  EXPECT_EQ(policy.check(source("192.168.1.255", 45678), Endpoint{}), Refusal::kNotUnicast);
  EXPECT_EQ(policy.check(source("192.168.2.255", 45678), Endpoint{}), Refusal::kNone);
}

TEST(SourcePolicy, RefusesDatagramsSentToABroadcastOrMulticastAddress) {
  const SourcePolicy policy({.own_ports = {}, .allowed_ports = {}, .broadcasts = {0xC0A801FF}});
  const Source client = source("192.168.1.20", 45678);
  for (const char* to : {"255.255.255.255", "192.168.1.255", "224.0.0.1", "ff02::1"}) {
    EXPECT_EQ(policy.check(client, endpoint(to, 7007)), Refusal::kNotUnicast) << to;
  }
  EXPECT_EQ(policy.check(client, endpoint("192.168.1.5", 7007)), Refusal::kNone);
}

TEST(SourcePolicy, JudgesAnIpv4MappedSourceAsTheIpv4Host) {
  EXPECT_EQ(kPolicy.check(source("::ffff:127.0.0.1", 19), Endpoint{}), Refusal::kServicePort);
  EXPECT_TRUE(source("::ffff:127.0.0.1", 1).is_loopback());
  EXPECT_EQ(source("::ffff:10.0.0.1", 1).address_key(), source("10.0.0.1", 2).address_key());
}

TEST(Source, KeysIpv6LimitsByTheSlash64) {
  EXPECT_EQ(source("2001:db8:1:2::1", 1).address_key(),
            source("2001:db8:1:2:ffff::9", 2).address_key());
  EXPECT_NE(source("2001:db8:1:2::1", 1).address_key(), source("2001:db8:1:3::1", 1).address_key());
  EXPECT_NE(source("2001:db8:1:2::1", 1).peer_key(), source("2001:db8:1:2::2", 1).peer_key());
  EXPECT_NE(source("10.0.0.1", 1).address_key(), source("10.0.0.2", 1).address_key());
}

TEST(Source, RejectsOtherFamiliesAndShortAddresses) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  EXPECT_FALSE(Source::from_sockaddr(reinterpret_cast<sockaddr*>(&v4), 4).has_value());
  sockaddr unix_like{};
  unix_like.sa_family = AF_UNIX;
  EXPECT_FALSE(Source::from_sockaddr(&unix_like, sizeof unix_like).has_value());
  EXPECT_FALSE(Source::from_sockaddr(nullptr, 0).has_value());
}

}  // namespace
}  // namespace echo::server
