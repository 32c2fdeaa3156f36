// UDP echo and the address families, for every model.
#include "core/net/udp.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "core/address/parse.h"
#include "core/net/io.h"
#include "core/net/socket.h"
#include "reference/server/tests/server_fixture.h"

namespace echo::server::testing {
namespace {

class UdpEcho : public EchoServerTest {
 protected:
  // Sends `payload` from a fresh socket to `to` and returns the reply.
  Result<Datagram> round_trip(const Endpoint& to, const std::string& payload,
                              std::vector<std::byte>& reply) {
    Result<Fd> socket = udp_socket(to.family());
    if (!socket) return socket.error();
    if (Status s = send_datagram(socket->get(), std::as_bytes(std::span(payload)), to); !s) {
      return s.error();
    }
    reply.assign(70000, std::byte{0});
    return receive_datagram(socket->get(), reply, io_deadline());
  }
};

TEST_P(UdpEcho, EchoesAMaximumSizeIpv4Datagram) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string payload = pattern(65507);
  std::vector<std::byte> reply;
  Result<Datagram> got = round_trip(udp_, payload, reply);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size, payload.size());
  EXPECT_FALSE(got->truncated);
  EXPECT_EQ(std::memcmp(reply.data(), payload.data(), payload.size()), 0);
}

TEST_P(UdpEcho, EchoesAZeroLengthDatagram) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::vector<std::byte> reply;
  Result<Datagram> got = round_trip(udp_, "", reply);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->size, 0u);
  EXPECT_EQ(got->peer, udp_);
}

TEST_P(UdpEcho, RepliesFromTheAddressTheRequestWasSentTo) {
  // Bound to the wildcard address, asked on 127.0.0.2: the reply must come from 127.0.0.2.
  ASSERT_NO_FATAL_FAILURE(start({"--udp-only"}, "0.0.0.0:0"));
  Result<in_addr> second_loopback = parse_ipv4("127.0.0.2");
  ASSERT_TRUE(second_loopback);
  const Endpoint target = Endpoint::v4(*second_loopback, udp_.port());
  std::vector<std::byte> reply;
  Result<Datagram> got = round_trip(target, "which address?", reply);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->peer, target);
  EXPECT_EQ(got->size, std::string("which address?").size());
}

TEST_P(UdpEcho, ServesTcpAndUdpOverIpv6Loopback) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_NO_FATAL_FAILURE(start({}, "[::1]:0"));
  EXPECT_EQ(tcp_.family(), AF_INET6);
  {
    Fd client = connect_tcp();
    expect_echo(client.get(), "over IPv6");
  }  // closed: the iterative model answers UDP only between TCP clients

  std::vector<std::byte> reply;
  Result<Datagram> got = round_trip(udp_, "datagram over IPv6", reply);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->size, std::string("datagram over IPv6").size());
  EXPECT_EQ(got->peer, udp_);
}

INSTANTIATE_TEST_SUITE_P(EchoServer, UdpEcho, kAllModels, model_name);

}  // namespace
}  // namespace echo::server::testing
