#include "reference/server/announce.h"

#include <gtest/gtest.h>

namespace echo::server {
namespace {

TEST(EchoServerListeningLine, FormatsTransportAndEndpoint) {
  EXPECT_EQ(format_listening_line(Transport::kTcp, Endpoint::loopback_v4(41234)),
            "listening tcp 127.0.0.1:41234");
  EXPECT_EQ(format_listening_line(Transport::kUdp, Endpoint::loopback_v6(7)),
            "listening udp [::1]:7");
}

TEST(EchoServerListeningLine, ParsesWhatItFormats) {
  for (const Endpoint& endpoint : {Endpoint::loopback_v4(41234), Endpoint::loopback_v6(7007)}) {
    for (Transport transport : {Transport::kTcp, Transport::kUdp}) {
      auto parsed = parse_listening_line(format_listening_line(transport, endpoint));
      ASSERT_TRUE(parsed.has_value());
      EXPECT_EQ(parsed->first, transport_name(transport));
      EXPECT_EQ(parsed->second, endpoint);
    }
  }
}

TEST(EchoServerListeningLine, ToleratesTrailingCarriageReturn) {
  auto parsed = parse_listening_line("listening tcp 127.0.0.1:9\r");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->second.port(), 9);
}

TEST(EchoServerListeningLine, RefusesOtherLines) {
  for (const char* line :
       {"", "listening", "listening tcp", "listening sctp 127.0.0.1:9", "listening tcp 127.0.0.1",
        "listening tcp 127.0.0.1:0", "listening tcp localhost:9", "ready",
        "Listening tcp 127.0.0.1:9", "listening tcp 127.0.0.1:9 extra"}) {
    EXPECT_FALSE(parse_listening_line(line).has_value()) << line;
  }
}

}  // namespace
}  // namespace echo::server
