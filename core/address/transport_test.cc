#include "core/address/transport.h"

#include <gtest/gtest.h>

#include <string>

namespace echo {
namespace {

TEST(Transport, NamesRoundTrip) {
  for (Transport transport : {Transport::kTcp, Transport::kUdp}) {
    EXPECT_EQ(parse_transport(to_string(transport)), transport) << to_string(transport);
  }
  EXPECT_EQ(std::string(to_string(Transport::kTcp)), "tcp");
  EXPECT_EQ(std::string(to_string(Transport::kUdp)), "udp");
}

TEST(Transport, RefusesOtherSpellings) {
  for (const char* text : {"", "TCP", "Udp", "sctp", "tcp ", " udp", "tc", "udp6"}) {
    EXPECT_FALSE(parse_transport(text).has_value()) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace echo
