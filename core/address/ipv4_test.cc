// Tables of dotted quads parse_ipv4() accepts and refuses, with the messages
// for the representative mistakes.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

#include "core/address/parse.h"

namespace echo {
namespace {

uint32_t host_order(std::string_view text) {
  auto address = parse_ipv4(text);
  EXPECT_TRUE(address.ok()) << text << ": " << address.error().message;
  return address.ok() ? ntohl(address->s_addr) : 0;
}

TEST(ParseIpv4, AcceptsDottedQuads) {
  EXPECT_EQ(host_order("127.0.0.1"), 0x7f000001u);
  EXPECT_EQ(host_order("0.0.0.0"), 0u);
  EXPECT_EQ(host_order("255.255.255.255"), 0xffffffffu);
  EXPECT_EQ(host_order("192.0.2.10"), 0xc000020au);
  EXPECT_EQ(host_order("10.200.3.99"), 0x0ac80363u);
}

struct Refused {
  std::string text;
  std::string message;
};

TEST(ParseIpv4, RefusesMalformedWithMessageNamingTheProblem) {
  const Refused cases[] = {
      {"1.2.3", "'1.2.3' is not a valid IPv4 address: expected 4 dot-separated parts, got 3"},
      {"1.2.3.4.5",
       "'1.2.3.4.5' is not a valid IPv4 address: expected 4 dot-separated parts, got 5"},
      {"256.1.1.1", "'256.1.1.1' is not a valid IPv4 address: part '256' is out of range 0-255"},
      {"1.2.3.1000", "'1.2.3.1000' is not a valid IPv4 address: part '1000' is out of range 0-255"},
      {"0x7f.1", "'0x7f.1' is not a valid IPv4 address: part '0x7f' is not a decimal number 0-255"},
      {"01.2.3.4",
       "'01.2.3.4' is not a valid IPv4 address: part '01' has a leading zero: expected 0-255 "
       "without leading zeros"},
      {"1..3.4",
       "'1..3.4' is not a valid IPv4 address: empty part: expected a number 0-255 between dots"},
      {"", "'' is not a valid IPv4 address: empty: expected a dotted quad like 192.0.2.1"},
      {"+1.2.3.4",
       "'+1.2.3.4' is not a valid IPv4 address: part '+1' is not a decimal number 0-255"},
      {"1.2.3.4\n",
       "'1.2.3.4\\x0a' is not a valid IPv4 address: part '4\\x0a' is not a decimal number 0-255"},
  };
  for (const auto& c : cases) {
    auto result = parse_ipv4(c.text);
    ASSERT_FALSE(result.ok()) << c.text;
    EXPECT_EQ(result.error().message, c.message);
  }
}

TEST(ParseIpv4, RefusesEveryNonStrictForm) {
  for (std::string_view text :
       {"1",          "1.2",        "1.2.3.",     ".1.2.3.4", "1.2.3.4.",  "00.1.2.3",
        "1.2.3.04",   "0x7f.0.0.1", "0177.0.0.1", "-1.2.3.4", " 1.2.3.4",  "1.2.3.4 ",
        "1 .2.3.4",   "1.2.3.4/8",  "1,2,3,4",    "a.b.c.d",  "1.2.3.256", "99999999999.1.1.1",
        "4294967295", "1.2.3.4:80", "...."}) {
    EXPECT_FALSE(parse_ipv4(text).ok()) << text;
  }
}

TEST(ParseIpv4, RefusesEmbeddedNul) {
  EXPECT_FALSE(parse_ipv4(std::string_view("1.2.3.4\0", 8)).ok());
}

TEST(ParseIpv4, ClipsLongInputInMessages) {
  const std::string text(1000, '9');
  auto result = parse_ipv4(text);
  ASSERT_FALSE(result.ok());
  EXPECT_LT(result.error().message.size(), 250u);
  EXPECT_NE(result.error().message.find("..."), std::string::npos);
}

}  // namespace
}  // namespace echo
