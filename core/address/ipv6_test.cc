// Tables of IPv6 literals parse_ipv6() accepts (every RFC 4291 form) and
// refuses, with the messages for the representative mistakes.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

#include "core/address/parse.h"

namespace echo {
namespace {

using Groups = std::array<uint16_t, 8>;

Groups groups_of(std::string_view text) {
  Groups groups{};
  auto address = parse_ipv6(text);
  EXPECT_TRUE(address.ok()) << text << ": " << address.error().message;
  if (!address.ok()) return groups;
  for (int i = 0; i < 8; ++i) {
    groups[i] = static_cast<uint16_t>(address->s6_addr[2 * i] << 8 | address->s6_addr[2 * i + 1]);
  }
  return groups;
}

TEST(ParseIpv6, AcceptsEveryTextForm) {
  EXPECT_EQ(groups_of("::"), (Groups{0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(groups_of("::1"), (Groups{0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(groups_of("1::"), (Groups{1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(groups_of("1:2:3:4:5:6:7:8"), (Groups{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(groups_of("2001:DB8::ff00:42:8329"),
            (Groups{0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329}));
  EXPECT_EQ(groups_of("2001:0db8:0000:0000:0000:ff00:0042:8329"),
            (Groups{0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329}));
  EXPECT_EQ(groups_of("1:2:3:4:5:6:7::"), (Groups{1, 2, 3, 4, 5, 6, 7, 0}));
  EXPECT_EQ(groups_of("::2:3:4:5:6:7:8"), (Groups{0, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(groups_of("1:2:3::6:7:8"), (Groups{1, 2, 3, 0, 0, 6, 7, 8}));
}

TEST(ParseIpv6, AcceptsEmbeddedIpv4AsLast32Bits) {
  EXPECT_EQ(groups_of("::ffff:1.2.3.4"), (Groups{0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}));
  EXPECT_EQ(groups_of("::1.2.3.4"), (Groups{0, 0, 0, 0, 0, 0, 0x0102, 0x0304}));
  EXPECT_EQ(groups_of("1:2:3:4:5:6:255.255.0.1"), (Groups{1, 2, 3, 4, 5, 6, 0xffff, 0x0001}));
  EXPECT_EQ(groups_of("64:ff9b::192.0.2.33"), (Groups{0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221}));
}

struct Refused {
  std::string text;
  std::string message;
};

TEST(ParseIpv6, RefusesMalformedWithMessageNamingTheProblem) {
  const Refused cases[] = {
      {":::",
       "':::' is not a valid IPv6 address: more than one '::' (or ':::'): expected at most one "
       "'::'"},
      {"1::2::3",
       "'1::2::3' is not a valid IPv6 address: more than one '::' (or ':::'): expected at most "
       "one '::'"},
      {"12345::",
       "'12345::' is not a valid IPv6 address: group '12345' has more than 4 hex digits"},
      {"1:2:3:4:5:6:7:8:9",
       "'1:2:3:4:5:6:7:8:9' is not a valid IPv6 address: too many groups: "
       "expected at most 8"},
      {"1:2:3:4:5:6:7", "'1:2:3:4:5:6:7' is not a valid IPv6 address: expected 8 groups, got 7"},
      {"1:2:3:4::5:6:7:8",
       "'1:2:3:4::5:6:7:8' is not a valid IPv6 address: '::' must stand for "
       "at least one zero group, but there are 8 groups besides it"},
      {"1:2:3:4:5:6:7:",
       "'1:2:3:4:5:6:7:' is not a valid IPv6 address: empty group: a single "
       "':' must stand between two groups"},
      {"::g",
       "'::g' is not a valid IPv6 address: unexpected character 'g': expected hex digits, "
       "':' or '.'"},
      {"::ffff:1.2.3",
       "'::ffff:1.2.3' is not a valid IPv6 address: embedded '1.2.3' is not a "
       "valid IPv4 address: expected 4 dot-separated parts, got 3"},
      {"::1.2.3.4:5",
       "'::1.2.3.4:5' is not a valid IPv6 address: embedded IPv4 address "
       "'1.2.3.4' must be the last 32 bits"},
      {"", "'' is not a valid IPv6 address: empty: expected hex groups separated by ':'"},
      {"fe80::1%eth0",
       "IPv6 zone ids (\"%eth0\") are not supported: use an address without a zone"},
  };
  for (const auto& c : cases) {
    auto result = parse_ipv6(c.text);
    ASSERT_FALSE(result.ok()) << c.text;
    EXPECT_EQ(result.error().message, c.message);
  }
}

TEST(ParseIpv6, RefusesEveryOtherMalformedForm) {
  for (std::string_view text : {":",
                                "1",
                                "1:",
                                ":1",
                                ":1::",
                                "1::2:",
                                "1:::2",
                                "::1::",
                                "1:2:3:4:5:6:7:8::",
                                "::1:2:3:4:5:6:7:8",
                                "1:2:3:4:5:6:7:1.2.3.4",
                                "1:2:3:4:5:6::1.2.3.4",
                                "1.2.3.4",
                                "1.2.3.4::",
                                "::1.2.3.04",
                                "::0x1",
                                "[::1]",
                                " ::1",
                                "::1 ",
                                "::-1",
                                "00000::",
                                "::%",
                                "1:2:3:4:5:6:7:8:",
                                "1:2:1.2.3.4"}) {
    EXPECT_FALSE(parse_ipv6(text).ok()) << text;
  }
}

TEST(ParseIpv6, RefusesZoneIdsWithTheirOwnMessage) {
  auto result = parse_ipv6("fe80::1%25en0");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "IPv6 zone ids (\"%25en0\") are not supported: use an address without a zone");
}

}  // namespace
}  // namespace echo
