#include "reference/server/passed_socket.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "core/net/socket.h"

namespace echo::server {
namespace {

using namespace std::chrono_literals;

SocketKind describe_ok(int fd) {
  Result<SocketKind> kind = describe_socket(fd, "fd");
  EXPECT_TRUE(kind) << kind.error().message;
  return kind ? *kind : SocketKind{};
}

std::string describe_error(int fd) {
  Result<SocketKind> kind = describe_socket(fd, "passed descriptor 3");
  EXPECT_FALSE(kind);
  return kind ? std::string() : kind.error().message;
}

TEST(DescribeSocket, TellsListenersConnectionsAndUdpSocketsOfBothFamiliesApart) {
  Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener) << listener.error().message;
  const SocketKind tcp = describe_ok(listener->get());
  EXPECT_EQ(tcp.transport, Transport::kTcp);
  EXPECT_TRUE(tcp.listening);
  EXPECT_EQ(tcp.local.family(), AF_INET);
  EXPECT_NE(tcp.local.port(), 0);

  Result<Fd> client = tcp_connect(tcp.local, Deadline::after(10s));
  ASSERT_TRUE(client) << client.error().message;
  const SocketKind connection = describe_ok(client->get());
  EXPECT_EQ(connection.transport, Transport::kTcp);
  EXPECT_FALSE(connection.listening);

  Result<Fd> udp = udp_bind(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(udp) << udp.error().message;
  const SocketKind datagrams = describe_ok(udp->get());
  EXPECT_EQ(datagrams.transport, Transport::kUdp);
  EXPECT_EQ(datagrams.local, *local_endpoint(udp->get()));

  Result<Fd> udp6 = udp_bind(Endpoint::loopback_v6(0), false);
  if (!udp6) GTEST_SKIP() << "no IPv6 loopback: " << udp6.error().message;
  EXPECT_EQ(describe_ok(udp6->get()).local.family(), AF_INET6);
}

TEST(DescribeSocket, RefusesWhatIsNotAnInternetTcpOrUdpSocket) {
  int pipe_ends[2];
  ASSERT_EQ(::pipe2(pipe_ends, O_CLOEXEC), 0);
  Fd read_end(pipe_ends[0]);
  Fd write_end(pipe_ends[1]);
  EXPECT_EQ(describe_error(read_end.get()), "passed descriptor 3 is not a socket");

  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  Fd unix_a(pair[0]);
  Fd unix_b(pair[1]);
  EXPECT_EQ(describe_error(unix_a.get()), "passed descriptor 3 is not an IPv4 or IPv6 socket");
}

// An Internet socket of another type (raw, SCTP's seqpacket), which tests
// cannot open without privileges: the seam says so.
class OtherSocketType : public ForwardingSyscalls {
 public:
  int getsockopt(int fd, int level, int name, void* value, socklen_t* length) override {
    if (level == SOL_SOCKET && name == SO_TYPE) {
      *static_cast<int*>(value) = SOCK_SEQPACKET;
      return 0;
    }
    return next().getsockopt(fd, level, name, value, length);
  }
};

TEST(DescribeSocket, RefusesOtherSocketTypes) {
  Result<Fd> udp = udp_bind(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(udp) << udp.error().message;
  OtherSocketType seam;
  Result<SocketKind> kind = describe_socket(udp->get(), "passed descriptor 4", seam);
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().message,
            "passed descriptor 4 is neither a TCP (stream) nor a UDP (datagram) socket");
}

TEST(PreparePassedSocket, MakesItCloseOnExecNonBlockingAndAsksForPacketInfo) {
  const int raw = ::socket(AF_INET, SOCK_DGRAM, 0);  // as a manager passes it: blocking, inherited
  ASSERT_GE(raw, 0);
  Fd udp(raw);
  const Endpoint loopback = Endpoint::loopback_v4(0);
  ASSERT_EQ(::bind(udp.get(), loopback.sockaddr_ptr(), loopback.sockaddr_len()), 0);
  const SocketKind kind = describe_ok(udp.get());
  ASSERT_TRUE(prepare_passed_socket(udp.get(), kind));
  EXPECT_NE(::fcntl(udp.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_NE(::fcntl(udp.get(), F_GETFL) & O_NONBLOCK, 0);
  int packet_info = 0;
  socklen_t length = sizeof packet_info;
  ASSERT_EQ(::getsockopt(udp.get(), IPPROTO_IP, IP_PKTINFO, &packet_info, &length), 0);
  EXPECT_EQ(packet_info, 1);
}

}  // namespace
}  // namespace echo::server
