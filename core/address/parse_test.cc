// parse_port(), parse_host_port() and parse_endpoint(): the forms people type,
// and the messages for the mistakes they make.
#include "core/address/parse.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace echo {
namespace {

constexpr auto kNonZero = PortRule::kNonZero;
constexpr auto kAny = PortRule::kZeroMeansAny;

std::string error_of(std::string_view text, std::optional<uint16_t> default_port = std::nullopt,
                     PortRule rule = kNonZero) {
  auto result = parse_host_port(text, default_port, rule);
  return result.ok() ? "accepted as " + result->host : result.error().message;
}

TEST(ParsePort, AcceptsOneTo65535) {
  EXPECT_EQ(parse_port("1", kNonZero).value(), 1);
  EXPECT_EQ(parse_port("7", kNonZero).value(), 7);
  EXPECT_EQ(parse_port("65535", kNonZero).value(), 65535);
}

TEST(ParsePort, AcceptsZeroOnlyWhenItMeansAny) {
  EXPECT_EQ(parse_port("0", kAny).value(), 0);
  EXPECT_EQ(parse_port("0", kNonZero).error().message, "port 0 is out of range 1-65535");
}

TEST(ParsePort, RefusesWithMessageNamingTheProblem) {
  EXPECT_EQ(parse_port("70000", kNonZero).error().message, "port 70000 is out of range 1-65535");
  EXPECT_EQ(parse_port("65536", kAny).error().message, "port 65536 is out of range 0-65535");
  EXPECT_EQ(parse_port("99999999999999999999", kNonZero).error().message,
            "port 99999999999999999999 is out of range 1-65535");
  EXPECT_EQ(parse_port("", kNonZero).error().message, "missing port: expected a number 1-65535");
  EXPECT_EQ(parse_port("echo", kNonZero).error().message,
            "port 'echo' is not a number: expected 1-65535");
  EXPECT_EQ(parse_port("007", kNonZero).error().message,
            "port '007' has a leading zero: expected 1-65535");
  for (std::string_view text : {"+7", "-7", " 7", "7 ", "0x7", "7.0", "00"}) {
    EXPECT_FALSE(parse_port(text, kAny).ok()) << text;
  }
}

TEST(ParseHostPort, SplitsHostAndPort) {
  EXPECT_EQ(parse_host_port("127.0.0.1:7", std::nullopt, kNonZero).value(),
            (HostPort{"127.0.0.1", 7, HostKind::kIpv4}));
  EXPECT_EQ(parse_host_port("[::1]:7007", std::nullopt, kNonZero).value(),
            (HostPort{"::1", 7007, HostKind::kIpv6}));
  EXPECT_EQ(parse_host_port("echo.example.com:7", std::nullopt, kNonZero).value(),
            (HostPort{"echo.example.com", 7, HostKind::kName}));
  EXPECT_EQ(parse_host_port("0.0.0.0:0", std::nullopt, kAny).value(),
            (HostPort{"0.0.0.0", 0, HostKind::kIpv4}));
}

TEST(ParseHostPort, UsesDefaultPortForBareHost) {
  EXPECT_EQ(parse_host_port("localhost", 7, kNonZero).value(),
            (HostPort{"localhost", 7, HostKind::kName}));
  EXPECT_EQ(parse_host_port("10.0.0.1", 7, kNonZero).value(),
            (HostPort{"10.0.0.1", 7, HostKind::kIpv4}));
  EXPECT_EQ(parse_host_port("[::1]", 7, kNonZero).value(), (HostPort{"::1", 7, HostKind::kIpv6}));
  EXPECT_EQ(parse_host_port("::1", 7, kNonZero).value(), (HostPort{"::1", 7, HostKind::kIpv6}));
  EXPECT_EQ(parse_host_port("10.0.0.1:8", 7, kNonZero).value().port, 8);
}

TEST(ParseHostPort, GivesIpv6HostsInCanonicalForm) {
  EXPECT_EQ(parse_host_port("[2001:DB8:0:0::1]:7", std::nullopt, kNonZero).value().host,
            "2001:db8::1");
}

TEST(ParseHostPort, RefusesWithMessageNamingTheProblem) {
  EXPECT_EQ(error_of("127.0.0.1"), "missing port in '127.0.0.1': expected host:port");
  EXPECT_EQ(error_of("127.0.0.1:"), "missing port in '127.0.0.1:': expected host:port");
  EXPECT_EQ(error_of("[::1]"), "missing port in '[::1]': expected [host]:port");
  EXPECT_EQ(error_of("[::1:7"), "unterminated '[' in '[::1:7'");
  EXPECT_EQ(error_of(""), "empty address: expected host:port");
  EXPECT_EQ(error_of(":7"), "empty host in ':7': expected host:port");
  EXPECT_EQ(error_of("[]:7"), "empty host in '[]:7': expected an IPv6 address inside [ ]");
  EXPECT_EQ(error_of("[::1]7"), "unexpected '7' after ']' in '[::1]7': expected ':' and a port");
  EXPECT_EQ(error_of("localhost:70000"), "port 70000 is out of range 1-65535");
  EXPECT_EQ(error_of("::1:7"), "missing port in '::1:7': expected [::1:7]:port");
  EXPECT_EQ(error_of("a:b:c"),
            "too many ':' in 'a:b:c': expected host:port, or [ipv6]:port for an IPv6 address");
  EXPECT_EQ(error_of("1.2.3:7"),
            "'1.2.3' is not a valid IPv4 address: expected 4 dot-separated parts, got 3");
  EXPECT_EQ(error_of("[fe80::1%eth0]:7"),
            "IPv6 zone ids (\"%eth0\") are not supported: use an address without a zone");
  EXPECT_EQ(error_of("fe80::1%eth0"),
            "IPv6 zone ids (\"%eth0\") are not supported: use an address without a zone");
  EXPECT_EQ(error_of("localhost", 0), "port 0 is out of range 1-65535");
}

TEST(ParseHostPort, RefusesBadHostNames) {
  EXPECT_EQ(error_of("-echo.example:7"),
            "'-echo.example' is not a valid host name: label '-echo' starts or ends with '-'");
  EXPECT_EQ(error_of("a..b:7"),
            "'a..b' is not a valid host name: empty label: expected labels of 1-63 characters "
            "between dots");
  EXPECT_EQ(error_of("echo_server:7"),
            "'echo_server' is not a valid host name: unexpected character '_': expected letters, "
            "digits, '-' and '.'");
  EXPECT_EQ(error_of(std::string(64, 'a') + ":7"),
            "'" + std::string(64, 'a') + "' is not a valid host name: label '" +
                std::string(64, 'a') + "' is 64 characters long: expected 1-63");
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(63, 'a') + ".";
  long_name += "com";  // 4 * 64 + 3 = 259 characters
  EXPECT_NE(error_of(long_name + ":7").find("259 characters long: expected at most 253"),
            std::string::npos);
  for (std::string_view text : {"echo-.example:7", "ex ample:7", "example.:7", "éxample:7"}) {
    EXPECT_FALSE(parse_host_port(text, std::nullopt, kNonZero).ok()) << text;
  }
}

TEST(ParseHostPort, AcceptsNamesAtTheLengthLimits) {
  const std::string label(63, 'a');
  std::string name = label + "." + label + "." + label + "." + std::string(61, 'b');  // 253
  ASSERT_EQ(name.size(), 253u);
  EXPECT_TRUE(parse_host_port(name + ":7", std::nullopt, kNonZero).ok());
  EXPECT_TRUE(parse_host_port("x-1.y2:7", std::nullopt, kNonZero).ok());
  EXPECT_TRUE(parse_host_port("cafe:7", std::nullopt, kNonZero).ok());
}

// glibc's resolver reads "0x7f.1" and "127.1" as 127.0.0.1 (inet_aton), so a
// host whose last label is numeric is refused rather than taken as a name.
TEST(ParseHostPort, RefusesNamesThatResolversReadAsIpv4) {
  const std::string message =
      "' is not a valid host name: it ends in a numeric label, which would be read as an IPv4 "
      "address: expected a dotted quad a.b.c.d or a name ending in letters";
  EXPECT_EQ(error_of("0x7f.1:7"), "'0x7f.1" + message);
  EXPECT_EQ(error_of("0x7f000001:7"), "'0x7f000001" + message);
  EXPECT_EQ(error_of("example.123:7"), "'example.123" + message);
  EXPECT_EQ(error_of("1.2.3"),
            "'1.2.3' is not a valid IPv4 address: expected 4 dot-separated "
            "parts, got 3");
}

TEST(ParseEndpoint, BuildsEndpointFromLiterals) {
  auto v4 = parse_endpoint("127.0.0.1:7", std::nullopt, kNonZero);
  ASSERT_TRUE(v4.ok()) << v4.error().message;
  EXPECT_EQ(*v4, Endpoint::loopback_v4(7));
  auto v6 = parse_endpoint("[::1]:7007", std::nullopt, kNonZero);
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(*v6, Endpoint::loopback_v6(7007));
  auto any = parse_endpoint("::", 0, kAny);
  ASSERT_TRUE(any.ok()) << any.error().message;
  EXPECT_EQ(*any, Endpoint::v6(in6addr_any, 0));
}

TEST(ParseEndpoint, RefusesHostNames) {
  auto result = parse_endpoint("localhost:7", std::nullopt, kNonZero);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "'localhost' is a host name, not a numeric address: expected an IPv4 or IPv6 literal");
}

TEST(ParseEndpoint, RoundTripsThroughToString) {
  for (std::string_view text : {"192.0.2.1:7", "[2001:db8::1]:65535", "[::ffff:10.0.0.1]:9"}) {
    auto endpoint = parse_endpoint(text, std::nullopt, kNonZero);
    ASSERT_TRUE(endpoint.ok()) << text;
    EXPECT_EQ(endpoint->to_string(), text);
  }
}

// Whatever parse_host_port() accepts prints back as text that parses to the
// same HostPort; random bytes never crash it (this runs under the sanitizers).
TEST(ParseHostPort, AcceptedInputReprintsToTheSameHostPort) {
  static constexpr char kAlphabet[] = "0123456789abcdefx.:[]%-_ ";
  std::mt19937 random(862);
  int accepted = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    for (auto length = random() % 24; length > 0; --length) {
      text += random() % 50 == 0 ? static_cast<char>(random()) : kAlphabet[random() % 25];
    }
    auto parsed = parse_host_port(text, 7, kAny);
    if (!parsed.ok()) continue;
    ++accepted;
    const std::string port = ":" + std::to_string(parsed->port);
    const std::string again =
        parsed->kind == HostKind::kIpv6 ? "[" + parsed->host + "]" + port : parsed->host + port;
    auto reparsed = parse_host_port(again, std::nullopt, kAny);
    ASSERT_TRUE(reparsed.ok()) << text << " -> " << again << ": " << reparsed.error().message;
    EXPECT_EQ(*reparsed, *parsed) << text;
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace echo
