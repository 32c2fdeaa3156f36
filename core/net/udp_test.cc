#include "core/net/udp.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/socket.h"
#include "core/util/bytes.h"

namespace echo {
namespace {

using namespace std::chrono_literals;

Endpoint v4(const char* address, uint16_t port) {
  in_addr a{};
  ::inet_pton(AF_INET, address, &a);
  return Endpoint::v4(a, port);
}

bool ipv6_loopback_available() { return udp_bind(Endpoint::loopback_v6(0), false).ok(); }

// A socket bound to `address`, and the address it got.
struct Bound {
  Fd fd;
  Endpoint address;
};

Bound bind_or_fail(const Endpoint& address, bool want_destination) {
  Result<Fd> fd = udp_bind(address, want_destination);
  EXPECT_TRUE(fd) << fd.error().message;
  if (!fd) return {};
  Result<Endpoint> local = local_endpoint(fd->get());
  EXPECT_TRUE(local) << local.error().message;
  return {std::move(*fd), local ? *local : Endpoint{}};
}

TEST(UdpPacketInfo, Ipv4ReplyLeavesFromTheAddressTheRequestWasSentTo) {
  Bound server = bind_or_fail(Endpoint::v4(in_addr{htonl(INADDR_ANY)}, 0), true);
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd && client.fd);
  const Endpoint target = v4("127.0.0.2", server.address.port());

  ASSERT_TRUE(send_datagram(client.fd.get(), as_bytes("ping"), target));
  std::vector<std::byte> buffer(64);
  Result<Datagram> request = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(to_string(std::span(buffer).first(request->size)), "ping");
  EXPECT_EQ(request->peer, client.address);
  EXPECT_EQ(request->destination, target);
  EXPECT_GT(request->interface_index, 0);

  ASSERT_TRUE(send_datagram(server.fd.get(), as_bytes("pong"), request->peer, request->destination,
                            request->interface_index));
  Result<Datagram> reply = receive_datagram(client.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(to_string(std::span(buffer).first(reply->size)), "pong");
  EXPECT_EQ(reply->peer, target);

  // Without a source the kernel picks 127.0.0.1, which is what makes the above meaningful.
  ASSERT_TRUE(send_datagram(server.fd.get(), as_bytes("pong"), request->peer));
  Result<Datagram> plain = receive_datagram(client.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->peer, v4("127.0.0.1", server.address.port()));
}

TEST(UdpPacketInfo, Ipv6ReplyLeavesFromTheAddressTheRequestWasSentTo) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "::1 is not available";
  Bound server = bind_or_fail(Endpoint::v6(in6addr_any, 0), true);
  Bound client = bind_or_fail(Endpoint::loopback_v6(0), false);
  ASSERT_TRUE(server.fd && client.fd);
  const Endpoint target = Endpoint::loopback_v6(server.address.port());

  ASSERT_TRUE(send_datagram(client.fd.get(), as_bytes("ping6"), target));
  std::vector<std::byte> buffer(64);
  Result<Datagram> request = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->peer, client.address);
  EXPECT_EQ(request->destination, target);
  EXPECT_GT(request->interface_index, 0);

  ASSERT_TRUE(send_datagram(server.fd.get(), as_bytes("pong6"), request->peer, request->destination,
                            request->interface_index));
  Result<Datagram> reply = receive_datagram(client.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(to_string(std::span(buffer).first(reply->size)), "pong6");
  EXPECT_EQ(reply->peer, target);
}

TEST(UdpPacketInfo, DestinationIsEmptyWithoutWantDestination) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd && client.fd);

  ASSERT_TRUE(send_datagram(client.fd.get(), as_bytes("x"), server.address));
  std::vector<std::byte> buffer(8);
  Result<Datagram> d = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->destination.empty());
  EXPECT_EQ(d->interface_index, 0);
}

TEST(UdpDatagram, ZeroLengthDatagramRoundTrips) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd && client.fd);

  ASSERT_TRUE(send_datagram(client.fd.get(), {}, server.address));
  std::vector<std::byte> buffer(8);
  Result<Datagram> d = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->size, 0u);
  EXPECT_FALSE(d->truncated);
  EXPECT_EQ(d->peer, client.address);

  ASSERT_TRUE(send_datagram(server.fd.get(), {}, d->peer));
  Result<Datagram> back = receive_datagram(client.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->size, 0u);
  EXPECT_EQ(back->peer, server.address);
}

TEST(UdpDatagram, TooSmallBufferIsReportedAsTruncated) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd && client.fd);

  ASSERT_TRUE(send_datagram(client.fd.get(), as_bytes("0123456789abcdef"), server.address));
  std::vector<std::byte> buffer(10);
  Result<Datagram> d = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->truncated);
  EXPECT_EQ(d->size, 10u);
  EXPECT_EQ(to_string(buffer), "0123456789");
}

TEST(UdpDatagram, LargestIpv4DatagramRoundTrips) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd && client.fd);
  std::vector<std::byte> payload(65507);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = std::byte(i * 7 + 3);

  ASSERT_TRUE(send_datagram(client.fd.get(), payload, server.address));
  std::vector<std::byte> buffer(65536);
  Result<Datagram> d = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_FALSE(d->truncated);
  ASSERT_EQ(d->size, payload.size());
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), buffer.begin()));
}

TEST(UdpDatagram, OneByteOverTheIpv4LimitIsRefusedWithItsSize) {
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(client.fd);
  std::vector<std::byte> payload(65508);

  Status st = send_datagram(client.fd.get(), payload, Endpoint::loopback_v4(client.address.port()));

  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, std::errc::message_size);
  EXPECT_NE(st.error().message.find("65508-byte"), std::string::npos) << st.error().message;
}

TEST(UdpDatagram, ReceiveWithNothingQueuedGivesEagain) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd);
  std::vector<std::byte> buffer(8);

  Result<Datagram> d = receive_datagram(server.fd.get(), buffer);

  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, std::errc::resource_unavailable_try_again);
}

TEST(UdpDatagram, ReceiveDeadlineExpiresWithTimedOut) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd);
  std::vector<std::byte> buffer(8);
  const auto start = std::chrono::steady_clock::now();

  Result<Datagram> d = receive_datagram(server.fd.get(), buffer, Deadline::after(200ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, std::errc::timed_out);
  EXPECT_EQ(d.error().message, "timed out after 200 ms waiting for a datagram");
  EXPECT_GE(elapsed, 195ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(UdpDatagram, ConnectedSocketSendsWithoutNamingThePeer) {
  Bound server = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(server.fd);
  Result<Fd> client = udp_connect(server.address);
  ASSERT_TRUE(client) << client.error().message;

  ASSERT_TRUE(send_datagram(client->get(), as_bytes("hi"), Endpoint{}));
  std::vector<std::byte> buffer(8);
  Result<Datagram> d = receive_datagram(server.fd.get(), buffer, Deadline::after(5s));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(to_string(std::span(buffer).first(d->size)), "hi");
  EXPECT_EQ(d->peer, *local_endpoint(client->get()));
}

TEST(UdpDatagram, SourceOfAnotherFamilyIsRefused) {
  Bound client = bind_or_fail(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(client.fd);
  Status st = send_datagram(client.fd.get(), as_bytes("x"), Endpoint::loopback_v4(9),
                            Endpoint::loopback_v6(0));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, std::errc::address_family_not_supported);
}

}  // namespace
}  // namespace echo
