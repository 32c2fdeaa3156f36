// UDP echo and the address families, for every model.
#include "core/net/udp.h"

#include <netinet/in.h>
#include <netinet/udp.h>
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
    ECHO_ASSIGN_OR_RETURN(const Fd socket, udp_socket(to.family()));
    ECHO_TRY(send_datagram(socket.get(), std::as_bytes(std::span(payload)), to));
    reply.assign(70000, std::byte{0});
    return receive_datagram(socket.get(), reply, io_deadline());
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

// Receives `sizes.size()` datagrams on `socket` and checks each against the
// next `sizes[k]` bytes of `sent`, in order.
void expect_datagrams(int socket, const std::string& sent, const std::vector<std::size_t>& sizes) {
  std::vector<std::byte> reply(70000);
  std::size_t offset = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    Result<Datagram> got = receive_datagram(socket, reply, io_deadline());
    ASSERT_TRUE(got) << "datagram " << k << ": " << got.error().message;
    ASSERT_EQ(got->size, sizes[k]) << "datagram " << k;
    EXPECT_EQ(std::memcmp(reply.data(), sent.data() + offset, sizes[k]), 0) << "datagram " << k;
    offset += sizes[k];
  }
}

TEST_P(UdpEcho, AnswersAGsoBurstWithTheSameDatagrams) {
  // One send with UDP_SEGMENT 100 puts 100 + 100 + 50 bytes on the wire as three
  // datagrams; the server may receive them coalesced (UDP_GRO) but must answer three.
  ASSERT_NO_FATAL_FAILURE(start({"--udp-only"}));
  Result<Fd> socket = udp_socket(AF_INET);
  ASSERT_TRUE(socket);
  const std::string burst = pattern(250);
  iovec data{const_cast<char*>(burst.data()), burst.size()};
  alignas(cmsghdr) unsigned char control[kUdpSegmentSpace] = {};
  msghdr message{};
  message.msg_name = const_cast<sockaddr*>(udp_.sockaddr_ptr());
  message.msg_namelen = udp_.sockaddr_len();
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = write_udp_segment(100, control);
  if (::sendmsg(socket->get(), &message, 0) < 0) {
    GTEST_SKIP() << "this kernel does not send UDP GSO: " << std::strerror(errno);
  }
  expect_datagrams(socket->get(), burst, {100, 100, 50});
}

TEST_P(UdpEcho, KeepsTheBoundariesOfManyDatagramsSentAtOnce) {
  // Sent with one sendmmsg so they queue together; replies to one peer may be
  // merged into one segmented send, which must still arrive as these datagrams.
  ASSERT_NO_FATAL_FAILURE(start({"--udp-only"}));
  Result<Fd> socket = udp_socket(AF_INET);
  ASSERT_TRUE(socket);
  const std::vector<std::size_t> sizes = {64, 64, 64, 10, 64, 0, 64, 64, 1400, 1400, 2000, 64};
  std::size_t total = 0;
  for (std::size_t size : sizes) total += size;
  const std::string sent = pattern(total);
  std::vector<mmsghdr> messages(sizes.size());
  std::vector<iovec> pieces(sizes.size());
  std::size_t offset = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    pieces[k] = {const_cast<char*>(sent.data()) + offset, sizes[k]};
    offset += sizes[k];
    messages[k].msg_hdr.msg_name = const_cast<sockaddr*>(udp_.sockaddr_ptr());
    messages[k].msg_hdr.msg_namelen = udp_.sockaddr_len();
    messages[k].msg_hdr.msg_iov = &pieces[k];
    messages[k].msg_hdr.msg_iovlen = 1;
  }
  ASSERT_EQ(::sendmmsg(socket->get(), messages.data(), static_cast<unsigned>(messages.size()), 0),
            static_cast<int>(sizes.size()));
  expect_datagrams(socket->get(), sent, sizes);
}

INSTANTIATE_TEST_SUITE_P(EchoServer, UdpEcho, kAllModels, model_name);

}  // namespace
}  // namespace echo::server::testing
