// format_ipv4() and format_ipv6(): RFC 5952 canonical text, and round trips
// through the parsers.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "core/address/parse.h"

namespace echo {
namespace {

std::string canonical_ipv6(std::string_view text) {
  auto address = parse_ipv6(text);
  EXPECT_TRUE(address.ok()) << text;
  return address.ok() ? format_ipv6(*address) : "";
}

TEST(FormatIpv4, PrintsDottedQuad) {
  EXPECT_EQ(format_ipv4(in_addr{htonl(0x7f000001)}), "127.0.0.1");
  EXPECT_EQ(format_ipv4(in_addr{htonl(0xc000020a)}), "192.0.2.10");
  EXPECT_EQ(format_ipv4(in_addr{0}), "0.0.0.0");
  EXPECT_EQ(format_ipv4(in_addr{0xffffffff}), "255.255.255.255");
}

TEST(FormatIpv6, FollowsRfc5952) {
  EXPECT_EQ(canonical_ipv6("0:0:0:0:0:0:0:0"), "::");
  EXPECT_EQ(canonical_ipv6("0:0:0:0:0:0:0:1"), "::1");
  EXPECT_EQ(canonical_ipv6("1:0:0:0:0:0:0:0"), "1::");
  EXPECT_EQ(canonical_ipv6("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");  // 4.1, 4.3
  EXPECT_EQ(canonical_ipv6("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // 4.2.2: one 0 stays
  EXPECT_EQ(canonical_ipv6("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");           // 4.2.3: longest run
  EXPECT_EQ(canonical_ipv6("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // 4.2.3: first on ties
  EXPECT_EQ(canonical_ipv6("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
  EXPECT_EQ(canonical_ipv6("abcd:ef01:2345:6789:ABCD:EF01:2345:6789"),
            "abcd:ef01:2345:6789:abcd:ef01:2345:6789");
}

TEST(FormatIpv6, PrintsV4MappedAsDottedQuad) {
  EXPECT_EQ(canonical_ipv6("0:0:0:0:0:ffff:102:304"), "::ffff:1.2.3.4");
  EXPECT_EQ(canonical_ipv6("::ffff:0.0.0.0"), "::ffff:0.0.0.0");
  // Only v4-mapped addresses: the deprecated IPv4-compatible form stays in hex.
  EXPECT_EQ(canonical_ipv6("::1.2.3.4"), "::102:304");
}

// Random addresses with many zero groups, so that every "::" position comes up.
in6_addr random_address(std::mt19937& random) {
  in6_addr address{};
  for (int i = 0; i < 8; ++i) {
    const uint32_t roll = random();
    const uint16_t group = roll % 3 == 0 ? 0 : static_cast<uint16_t>(roll >> 8);
    address.s6_addr[2 * i] = static_cast<uint8_t>(group >> 8);
    address.s6_addr[2 * i + 1] = static_cast<uint8_t>(group);
  }
  if (random() % 8 == 0) std::memcpy(address.s6_addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
  return address;
}

TEST(FormatIpv6, RoundTripsThroughParse) {
  std::mt19937 random(5952);
  for (int i = 0; i < 20000; ++i) {
    const in6_addr address = random_address(random);
    const std::string text = format_ipv6(address);
    auto parsed = parse_ipv6(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
    ASSERT_EQ(std::memcmp(parsed->s6_addr, address.s6_addr, 16), 0) << text;
  }
}

// glibc's inet_ntop also follows RFC 5952, except that it prints the
// deprecated IPv4-compatible addresses (::/96 with a nonzero 7th group) as
// "::a.b.c.d", where RFC 5952 section 5 only asks that of v4-mapped ones.
TEST(FormatIpv6, MatchesInetNtopOutsideIpv4Compatible) {
  std::mt19937 random(4291);
  for (int i = 0; i < 20000; ++i) {
    const in6_addr address = random_address(random);
    static constexpr uint8_t kZeros[12] = {};
    const bool compatible = std::memcmp(address.s6_addr, kZeros, 12) == 0 &&
                            (address.s6_addr[12] | address.s6_addr[13]) != 0;
    if (compatible) continue;
    char expected[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, &address, expected, sizeof expected), nullptr);
    ASSERT_EQ(format_ipv6(address), expected);
  }
}

TEST(FormatIpv4, RoundTripsThroughParse) {
  std::mt19937 random(791);
  for (int i = 0; i < 20000; ++i) {
    const in_addr address{static_cast<in_addr_t>(random())};
    auto parsed = parse_ipv4(format_ipv4(address));
    ASSERT_TRUE(parsed.ok()) << format_ipv4(address);
    ASSERT_EQ(parsed->s_addr, address.s_addr);
  }
}

TEST(FormatIpv6, ParsedTextFormatsToAFixedPoint) {
  for (std::string_view text : {"0::0", "1:0:0:0::", "::FFFF:10.0.0.1", "fe80:0:0:0:0:0:0:1",
                                "0:0:0:0:0:0:1.2.3.4", "1:2:3:4:5:6:7::"}) {
    const std::string once = canonical_ipv6(text);
    EXPECT_EQ(canonical_ipv6(once), once) << text;
  }
}

}  // namespace
}  // namespace echo
