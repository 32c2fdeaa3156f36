#include "core/net/socket.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include <array>
#include <chrono>
#include <string>
#include <string_view>

#include "core/net/io.h"
#include "core/util/bytes.h"

namespace echo {
namespace {

using namespace std::chrono_literals;

// A connected pair of TCP sockets on loopback.
struct Connection {
  Fd listener;
  Fd client;
  Fd server;
  Endpoint server_address;
  Endpoint client_seen_by_server;
};

Result<Connection> connect_on(const Endpoint& listen_address) {
  Connection c;
  Result<Fd> listener = tcp_listen(listen_address);
  if (!listener) return listener.error();
  c.listener = std::move(*listener);
  Result<Endpoint> bound = local_endpoint(c.listener.get());
  if (!bound) return bound.error();
  c.server_address = *bound;
  Result<Fd> client = tcp_connect(c.server_address, Deadline::after(5s));
  if (!client) return client.error();
  c.client = std::move(*client);
  Result<short> ready = wait_ready(c.listener.get(), POLLIN, Deadline::after(5s));
  if (!ready) return ready.error();
  Result<Fd> server = tcp_accept(c.listener.get(), &c.client_seen_by_server);
  if (!server) return server.error();
  c.server = std::move(*server);
  return c;
}

void expect_echo_by_hand(Connection& c) {
  ASSERT_TRUE(write_all(c.client.get(), as_bytes("hello, echo"), Deadline::after(5s)));
  std::array<std::byte, 11> at_server{};
  ASSERT_TRUE(read_exact(c.server.get(), at_server, Deadline::after(5s)));
  ASSERT_TRUE(write_all(c.server.get(), at_server, Deadline::after(5s)));
  std::array<std::byte, 11> at_client{};
  ASSERT_TRUE(read_exact(c.client.get(), at_client, Deadline::after(5s)));
  EXPECT_EQ(to_string(at_client), "hello, echo");
}

bool ipv6_loopback_available() { return udp_bind(Endpoint::loopback_v6(0), false).ok(); }

TEST(TcpLoopback, EchoesBytesOverIpv4) {
  Result<Connection> c = connect_on(Endpoint::loopback_v4(0));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_NE(c->server_address.port(), 0);
  EXPECT_TRUE(c->server_address.is_loopback());

  Result<Endpoint> client_local = local_endpoint(c->client.get());
  ASSERT_TRUE(client_local);
  EXPECT_EQ(c->client_seen_by_server, *client_local);
  Result<Endpoint> client_peer = peer_endpoint(c->client.get());
  ASSERT_TRUE(client_peer);
  EXPECT_EQ(*client_peer, c->server_address);

  expect_echo_by_hand(*c);
}

TEST(TcpLoopback, EchoesBytesOverIpv6) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "::1 is not available";
  Result<Connection> c = connect_on(Endpoint::loopback_v6(0));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server_address.family(), AF_INET6);
  EXPECT_EQ(c->client_seen_by_server.family(), AF_INET6);
  expect_echo_by_hand(*c);
}

TEST(TcpLoopback, ReadWithNoDataTimesOutNearItsDeadline) {
  Result<Connection> c = connect_on(Endpoint::loopback_v4(0));
  ASSERT_TRUE(c) << c.error().message;
  const auto start = std::chrono::steady_clock::now();

  std::array<std::byte, 4> buffer{};
  Result<std::size_t> n = read_some(c->client.get(), buffer, Deadline::after(300ms));
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, std::errc::timed_out);
  EXPECT_EQ(n.error().message, "timed out after 300 ms waiting to read");
  EXPECT_GE(elapsed, 295ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(TcpLoopback, ConnectToClosedPortIsRefused) {
  Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener) << listener.error().message;
  Result<Endpoint> address = local_endpoint(listener->get());
  ASSERT_TRUE(address);
  listener->reset();  // nothing listens there any more

  Result<Fd> client = tcp_connect(*address, Deadline::after(5s));

  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, std::errc::connection_refused);
  EXPECT_EQ(client.error().message,
            "cannot connect to " + address->to_string() + ": Connection refused");
}

TEST(TcpLoopback, ListeningTwiceOnOneAddressSaysItIsInUse) {
  Result<Fd> first = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(first) << first.error().message;
  Result<Endpoint> address = local_endpoint(first->get());
  ASSERT_TRUE(address);

  Result<Fd> second = tcp_listen(*address);

  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, std::errc::address_in_use);
  EXPECT_NE(second.error().message.find("cannot bind " + address->to_string()), std::string::npos)
      << second.error().message;
  EXPECT_NE(second.error().message.find("in use"), std::string::npos) << second.error().message;
}

TEST(TcpLoopback, AcceptWithNothingPendingGivesEagain) {
  Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener) << listener.error().message;

  Result<Fd> accepted = tcp_accept(listener->get());

  ASSERT_FALSE(accepted);
  EXPECT_EQ(accepted.error().code, std::errc::resource_unavailable_try_again);
}

TEST(TcpLoopback, LingerResetMakesThePeerSeeAReset) {
  Result<Connection> c = connect_on(Endpoint::loopback_v4(0));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(set_linger_reset(c->server.get()));
  c->server.reset();

  std::array<std::byte, 4> buffer{};
  Result<std::size_t> n = read_some(c->client.get(), buffer, Deadline::after(5s));

  ASSERT_FALSE(n) << "read " << *n << " bytes instead of seeing a reset";
  EXPECT_EQ(n.error().code, std::errc::connection_reset);
}

TEST(TcpLoopback, NoDelayIsSetAndCleared) {
  Result<Connection> c = connect_on(Endpoint::loopback_v4(0));
  ASSERT_TRUE(c) << c.error().message;
  auto nodelay = [&] {
    int value = -1;
    socklen_t length = sizeof value;
    ::getsockopt(c->client.get(), IPPROTO_TCP, TCP_NODELAY, &value, &length);
    return value;
  };
  ASSERT_TRUE(set_tcp_nodelay(c->client.get(), true));
  EXPECT_NE(nodelay(), 0);
  ASSERT_TRUE(set_tcp_nodelay(c->client.get(), false));
  EXPECT_EQ(nodelay(), 0);
}

TEST(TcpListen, Ipv6ListenerIsV6OnlyByDefault) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "::1 is not available";
  Result<Fd> listener = tcp_listen(Endpoint::v6(in6addr_any, 0));
  ASSERT_TRUE(listener) << listener.error().message;
  int value = -1;
  socklen_t length = sizeof value;
  ASSERT_EQ(::getsockopt(listener->get(), IPPROTO_IPV6, IPV6_V6ONLY, &value, &length), 0);
  EXPECT_EQ(value, 1);
}

TEST(TcpListen, EmptyAddressIsRefused) {
  Result<Fd> listener = tcp_listen(Endpoint{});
  ASSERT_FALSE(listener);
  EXPECT_EQ(listener.error().code, std::errc::invalid_argument);
}

}  // namespace
}  // namespace echo
