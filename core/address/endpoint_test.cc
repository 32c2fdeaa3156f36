// Endpoint: construction, sockaddr conversion, text, equality and ports.
#include "core/address/endpoint.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/un.h>

#include <cstring>

namespace echo {
namespace {

in_addr ipv4(const char* text) {
  in_addr address{};
  EXPECT_EQ(inet_pton(AF_INET, text, &address), 1) << text;
  return address;
}

in6_addr ipv6(const char* text) {
  in6_addr address{};
  EXPECT_EQ(inet_pton(AF_INET6, text, &address), 1) << text;
  return address;
}

TEST(Endpoint, DefaultIsEmpty) {
  Endpoint e;
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(e.family(), AF_UNSPEC);
  EXPECT_EQ(e.sockaddr_ptr(), nullptr);
  EXPECT_EQ(e.sockaddr_len(), 0u);
  EXPECT_EQ(e.to_string(), "(none)");
}

TEST(Endpoint, PrintsIpv4AsAddressColonPort) {
  EXPECT_EQ(Endpoint::v4(ipv4("192.0.2.1"), 7).to_string(), "192.0.2.1:7");
  EXPECT_EQ(Endpoint::loopback_v4(65535).to_string(), "127.0.0.1:65535");
}

TEST(Endpoint, PrintsIpv6InBracketsInCanonicalForm) {
  EXPECT_EQ(Endpoint::loopback_v6(7).to_string(), "[::1]:7");
  EXPECT_EQ(Endpoint::v6(ipv6("2001:DB8:0:0:0:0:0:1"), 7007).to_string(), "[2001:db8::1]:7007");
  EXPECT_EQ(Endpoint::v6(ipv6("::ffff:10.0.0.1"), 9).address_string(), "::ffff:10.0.0.1");
}

TEST(Endpoint, HoldsMatchingSockaddr) {
  const Endpoint e = Endpoint::v4(ipv4("192.0.2.1"), 7);
  ASSERT_EQ(e.sockaddr_len(), sizeof(sockaddr_in));
  sockaddr_in sa;
  std::memcpy(&sa, e.sockaddr_ptr(), sizeof sa);
  EXPECT_EQ(sa.sin_family, AF_INET);
  EXPECT_EQ(ntohs(sa.sin_port), 7);
  EXPECT_EQ(sa.sin_addr.s_addr, ipv4("192.0.2.1").s_addr);
  EXPECT_EQ(Endpoint::loopback_v6(7).sockaddr_len(), sizeof(sockaddr_in6));
}

TEST(Endpoint, FromSockaddrReadsIpv4AndIpv6) {
  sockaddr_storage storage{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  v4->sin_family = AF_INET;
  v4->sin_port = htons(7);
  v4->sin_addr = ipv4("10.1.2.3");
  auto e = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&storage), sizeof(sockaddr_in));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, Endpoint::v4(ipv4("10.1.2.3"), 7));

  storage = {};
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(7);
  v6->sin6_addr = ipv6("2001:db8::7");
  e = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&storage), sizeof storage);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, Endpoint::v6(ipv6("2001:db8::7"), 7));
}

TEST(Endpoint, FromSockaddrRefusesShortLengths) {
  sockaddr_storage storage{};
  reinterpret_cast<sockaddr_in*>(&storage)->sin_family = AF_INET;
  auto* sa = reinterpret_cast<sockaddr*>(&storage);
  EXPECT_FALSE(Endpoint::from_sockaddr(sa, sizeof(sockaddr_in) - 1).has_value());
  EXPECT_FALSE(Endpoint::from_sockaddr(sa, 0).has_value());
  reinterpret_cast<sockaddr_in6*>(&storage)->sin6_family = AF_INET6;
  EXPECT_FALSE(Endpoint::from_sockaddr(sa, sizeof(sockaddr_in6) - 1).has_value());
  EXPECT_FALSE(Endpoint::from_sockaddr(sa, sizeof(sockaddr_in)).has_value());
}

TEST(Endpoint, FromSockaddrRefusesOtherFamiliesAndNull) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, "/tmp/echo.sock");
  EXPECT_FALSE(Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&un), sizeof un).has_value());
  EXPECT_FALSE(Endpoint::from_sockaddr(nullptr, sizeof(sockaddr_in6)).has_value());
}

TEST(Endpoint, EqualityComparesFamilyAddressAndPort) {
  EXPECT_EQ(Endpoint::loopback_v4(7), Endpoint::v4(ipv4("127.0.0.1"), 7));
  EXPECT_NE(Endpoint::loopback_v4(7), Endpoint::loopback_v4(8));
  EXPECT_NE(Endpoint::loopback_v4(7), Endpoint::v4(ipv4("127.0.0.2"), 7));
  EXPECT_NE(Endpoint::loopback_v4(7), Endpoint::loopback_v6(7));
  EXPECT_NE(Endpoint::v4(ipv4("1.2.3.4"), 7), Endpoint::v6(ipv6("::ffff:1.2.3.4"), 7));
  EXPECT_EQ(Endpoint::loopback_v6(7), Endpoint::v6(ipv6("::1"), 7));
  EXPECT_NE(Endpoint::loopback_v6(7), Endpoint::v6(ipv6("::2"), 7));
  EXPECT_EQ(Endpoint(), Endpoint());
  EXPECT_NE(Endpoint(), Endpoint::loopback_v4(0));
}

TEST(Endpoint, LoopbackIsAll127SlashEightAndColonColonOne) {
  EXPECT_TRUE(Endpoint::loopback_v4(7).is_loopback());
  EXPECT_TRUE(Endpoint::v4(ipv4("127.255.1.2"), 7).is_loopback());
  EXPECT_FALSE(Endpoint::v4(ipv4("128.0.0.1"), 7).is_loopback());
  EXPECT_FALSE(Endpoint::v4(ipv4("10.0.0.127"), 7).is_loopback());
  EXPECT_TRUE(Endpoint::loopback_v6(7).is_loopback());
  EXPECT_FALSE(Endpoint::v6(ipv6("::"), 7).is_loopback());
  EXPECT_FALSE(Endpoint::v6(ipv6("::2"), 7).is_loopback());
  EXPECT_FALSE(Endpoint().is_loopback());
}

TEST(Endpoint, SetPortChangesOnlyThePort) {
  Endpoint v4 = Endpoint::v4(ipv4("192.0.2.1"), 7);
  v4.set_port(9);
  EXPECT_EQ(v4.port(), 9);
  EXPECT_EQ(v4, Endpoint::v4(ipv4("192.0.2.1"), 9));
  Endpoint v6 = Endpoint::loopback_v6(7);
  v6.set_port(65535);
  EXPECT_EQ(v6.to_string(), "[::1]:65535");
  Endpoint none;
  none.set_port(7);
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.port(), 0);
}

}  // namespace
}  // namespace echo
