// DatagramEcho's batching and segmentation offload, with recvmmsg/sendmmsg
// replaced through the Syscalls seam: which datagrams arrive together is
// decided by the test, not by the kernel's timing, and every reply is seen.
// (Real-socket echo of bursts, for every model: tests/udp_test.cc.)
#include "reference/server/udp_echo.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/net/socket.h"
#include "core/net/syscalls.h"
#include "core/net/udp.h"

namespace echo::server {
namespace {

struct Incoming {
  std::uint16_t port;      // the peer: 127.0.0.1:port
  std::size_t size;        // bytes; each byte is (index in the script + offset) % 251
  int gro_segment = 0;     // a UDP_GRO control message with this size, if not 0
  std::uint8_t local = 1;  // IP_PKTINFO destination 127.0.0.<local> (IPv6: ::<local>)
  bool v6 = false;         // from [::1]:port, with IPV6_PKTINFO
  int flags = 0;           // msg_flags as the kernel would set them (MSG_CTRUNC, ...)
};

// What one reply (one msghdr given to sendmmsg or sendmsg) carried.
struct Sent {
  std::uint16_t port;
  std::vector<std::size_t> pieces;  // iovec lengths
  int segment = 0;                  // UDP_SEGMENT, or 0
  std::uint8_t local = 0;           // IP_PKTINFO source 127.0.0.<local>, or 0
  std::vector<std::byte> bytes;
};

std::byte pattern_byte(std::size_t i) { return static_cast<std::byte>(i % 251); }

Sent record(const msghdr& m);  // what a reply carried

// The network as recvmmsg/sendmmsg/sendmsg see it: datagrams arrive as the
// script says, replies are recorded.
class ScriptedNetwork : public ForwardingSyscalls {
 public:
  std::vector<Incoming> script;
  std::size_t next = 0;
  std::vector<Sent> sent;
  int refuse_segmented = 0;       // errno for sendmmsg of a segmented reply, or 0
  std::uint16_t unreachable = 0;  // a peer port every send to fails (EINVAL), or 0
  int segmented_tries = 0;        // segmented replies given to sendmmsg, sent or refused

  int recvmmsg(int fd, mmsghdr* messages, unsigned count, int flags, timespec* timeout) override;
  int sendmmsg(int fd, mmsghdr* messages, unsigned count, int flags) override;
  ssize_t sendmsg(int fd, const msghdr* message, int flags) override;
};

int ScriptedNetwork::recvmmsg(int, mmsghdr* messages, unsigned count, int, timespec*) {
  unsigned n = 0;
  for (; n < count && next < script.size(); ++n, ++next) {
    const Incoming& in = script[next];
    msghdr& m = messages[n].msg_hdr;
    auto* bytes = static_cast<std::byte*>(m.msg_iov[0].iov_base);
    for (std::size_t i = 0; i < in.size; ++i) bytes[i] = pattern_byte(next + i);
    messages[n].msg_len = static_cast<unsigned>(in.size);
    auto* control = static_cast<unsigned char*>(m.msg_control);
    auto* c = reinterpret_cast<cmsghdr*>(control);
    std::size_t used = 0;
    if (in.v6) {
      sockaddr_in6 peer{};
      peer.sin6_family = AF_INET6;
      peer.sin6_port = htons(in.port);
      peer.sin6_addr = in6addr_loopback;
      std::memcpy(m.msg_name, &peer, sizeof peer);
      m.msg_namelen = sizeof peer;
      in6_pktinfo info{};
      info.ipi6_addr.s6_addr[15] = in.local;
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof info);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      used = CMSG_SPACE(sizeof info);
    } else {
      sockaddr_in peer{};
      peer.sin_family = AF_INET;
      peer.sin_port = htons(in.port);
      peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      std::memcpy(m.msg_name, &peer, sizeof peer);
      m.msg_namelen = sizeof peer;
      in_pktinfo info{};
      info.ipi_addr.s_addr = htonl(0x7F000000u | in.local);
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof info);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      used = CMSG_SPACE(sizeof info);
    }
    if (in.gro_segment != 0) {
      c = reinterpret_cast<cmsghdr*>(control + used);
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_GRO;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &in.gro_segment, sizeof(int));
      used += CMSG_SPACE(sizeof(int));
    }
    m.msg_controllen = used;
    m.msg_flags = in.flags;
  }
  if (n == 0) {
    errno = EAGAIN;
    return -1;
  }
  return static_cast<int>(n);
}

Sent record(const msghdr& m) {
  Sent sent;
  const auto* peer = static_cast<const sockaddr*>(m.msg_name);
  sent.port = peer->sa_family == AF_INET6
                  ? ntohs(static_cast<const sockaddr_in6*>(m.msg_name)->sin6_port)
                  : ntohs(static_cast<const sockaddr_in*>(m.msg_name)->sin_port);
  for (std::size_t v = 0; v < m.msg_iovlen; ++v) {
    const auto* data = static_cast<const std::byte*>(m.msg_iov[v].iov_base);
    sent.pieces.push_back(m.msg_iov[v].iov_len);
    sent.bytes.insert(sent.bytes.end(), data, data + m.msg_iov[v].iov_len);
  }
  msghdr copy = m;
  for (cmsghdr* c = CMSG_FIRSTHDR(&copy); c != nullptr; c = CMSG_NXTHDR(&copy, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_SEGMENT) {
      std::uint16_t segment = 0;
      std::memcpy(&segment, CMSG_DATA(c), sizeof segment);
      sent.segment = segment;
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      sent.local = static_cast<std::uint8_t>(ntohl(info.ipi_spec_dst.s_addr) & 0xFF);
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      sent.local = info.ipi6_addr.s6_addr[15];
    }
  }
  return sent;
}

int ScriptedNetwork::sendmmsg(int, mmsghdr* messages, unsigned count, int) {
  for (unsigned k = 0; k < count; ++k) {
    Sent reply = record(messages[k].msg_hdr);
    if (reply.segment != 0) ++segmented_tries;
    const int refusal = reply.port == unreachable ? EINVAL : refuse_segmented;
    if ((reply.segment != 0 || reply.port == unreachable) && refusal != 0) {
      if (k > 0) return static_cast<int>(k);
      errno = refusal;
      return -1;
    }
    sent.push_back(std::move(reply));
  }
  return static_cast<int>(count);
}

ssize_t ScriptedNetwork::sendmsg(int, const msghdr* message, int) {
  Sent reply = record(*message);
  if (reply.port == unreachable) {
    errno = EINVAL;
    return -1;
  }
  const auto length = static_cast<ssize_t>(reply.bytes.size());
  sent.push_back(std::move(reply));
  return length;
}

class DatagramEchoTest : public ::testing::Test {
 protected:
  // Serves the script (in batches of DatagramEcho::kBatch) and, if all_echoed,
  // checks that the bytes sent back, in order, are exactly the bytes received.
  void serve(std::vector<Incoming> script, bool all_echoed = true,
             const GuardSettings& guard = {}) {
    net_.script = std::move(script);
    DatagramEcho echo(net_, counters_, guard);
    echo.serve_ready(/*fd=*/-1, /*budget=*/1000);
    if (!all_echoed) return;
    std::vector<std::byte> expected;
    for (std::size_t k = 0; k < net_.script.size(); ++k) {
      for (std::size_t i = 0; i < net_.script[k].size; ++i) expected.push_back(pattern_byte(k + i));
    }
    std::vector<std::byte> echoed;
    for (const Sent& s : net_.sent) echoed.insert(echoed.end(), s.bytes.begin(), s.bytes.end());
    EXPECT_EQ(echoed, expected);
  }
  ScriptedNetwork net_;
  Counters counters_;
};

TEST_F(DatagramEchoTest, MergesARunFromOnePeerIntoOneSegmentedReply) {
  serve({{5000, 64}, {5000, 64}, {5000, 64}, {5000, 10}});
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].port, 5000);
  EXPECT_EQ(net_.sent[0].pieces, (std::vector<std::size_t>{64, 64, 64, 10}));
  EXPECT_EQ(net_.sent[0].segment, 64);
  EXPECT_EQ(net_.sent[0].local, 1);
  EXPECT_EQ(counters_.datagrams_in, 4u);
  EXPECT_EQ(counters_.datagrams_out, 4u);
}

TEST_F(DatagramEchoTest, ALoneDatagramGoesWithoutASegmentSize) {
  serve({{5000, 64}});
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].segment, 0);
  EXPECT_EQ(net_.sent[0].pieces, (std::vector<std::size_t>{64}));
}

TEST_F(DatagramEchoTest, ARunEndsAtAnotherPeerAnotherLocalAddressOrAShorterDatagram) {
  serve({{5000, 64},
         {5000, 64},
         {6000, 64},
         {6000, 64, 0, 2},
         {6000, 30, 0, 2},
         {6000, 64},
         {6000, 0},
         {6000, 0}});
  ASSERT_EQ(net_.sent.size(), 6u);
  EXPECT_EQ(net_.sent[0].pieces, (std::vector<std::size_t>{64, 64}));
  EXPECT_EQ(net_.sent[1].port, 6000);
  EXPECT_EQ(net_.sent[1].pieces, (std::vector<std::size_t>{64}));
  EXPECT_EQ(net_.sent[2].local, 2);
  EXPECT_EQ(net_.sent[2].pieces, (std::vector<std::size_t>{64, 30}));  // shorter last one joins
  EXPECT_EQ(net_.sent[3].pieces, (std::vector<std::size_t>{64}));      // after a short one: new run
  EXPECT_EQ(net_.sent[4].pieces, (std::vector<std::size_t>{0}));       // empty datagrams stay alone
  EXPECT_EQ(net_.sent[5].pieces, (std::vector<std::size_t>{0}));
  EXPECT_EQ(counters_.datagrams_out, 8u);
}

TEST_F(DatagramEchoTest, ALongerDatagramDoesNotJoinARunOfShorterOnes) {
  serve({{5000, 10}, {5000, 64}});
  ASSERT_EQ(net_.sent.size(), 2u);
}

TEST_F(DatagramEchoTest, LargeDatagramsAreNotMerged) {
  const std::size_t large = DatagramEcho::kMaxMergedSize + 1;
  serve({{5000, large}, {5000, large}});
  ASSERT_EQ(net_.sent.size(), 2u);
  EXPECT_EQ(net_.sent[0].segment, 0);
}

TEST_F(DatagramEchoTest, AMergedReplyStaysWithinOneUdpPayload) {
  std::vector<Incoming> script(50, Incoming{5000, 1400});
  serve(script);
  ASSERT_EQ(net_.sent.size(), 2u);
  EXPECT_EQ(net_.sent[0].pieces.size(), 46u);  // 46 x 1400 = 64,400 <= 65,507 < 47 x 1400
  EXPECT_EQ(net_.sent[1].pieces.size(), 4u);
}

TEST_F(DatagramEchoTest, ACoalescedBurstIsAnsweredWithTheSameSegmentSize) {
  serve({{5000, 250, /*gro_segment=*/100}, {5000, 100}});
  ASSERT_EQ(net_.sent.size(), 2u);  // the burst does not merge with what follows
  EXPECT_EQ(net_.sent[0].pieces, (std::vector<std::size_t>{250}));
  EXPECT_EQ(net_.sent[0].segment, 100);
  EXPECT_EQ(counters_.datagrams_in, 4u);  // 100 + 100 + 50, then 100
  EXPECT_EQ(counters_.datagrams_out, 4u);
}

TEST_F(DatagramEchoTest, ARefusedSegmentedReplyIsSentDatagramByDatagram) {
  net_.refuse_segmented = EIO;
  serve({{5000, 64}, {5000, 64}, {5000, 250, 100}});
  // The run and the burst each refused, then sent one by one: 64 64 | 100 100 50.
  ASSERT_EQ(net_.sent.size(), 5u);
  for (const Sent& s : net_.sent) EXPECT_EQ(s.segment, 0);
  EXPECT_EQ(net_.sent[2].pieces, (std::vector<std::size_t>{100}));
  EXPECT_EQ(net_.sent[4].pieces, (std::vector<std::size_t>{50}));
  EXPECT_EQ(net_.sent[4].local, 1);  // still from the address asked
  EXPECT_EQ(counters_.datagrams_out, 5u);
  EXPECT_EQ(counters_.errors, 0u);
}

TEST_F(DatagramEchoTest, AfterEioRunsAreNoLongerMerged) {
  net_.refuse_segmented = EIO;
  net_.script = {{5000, 64}, {5000, 64}};
  DatagramEcho echo(net_, counters_);
  echo.serve_ready(-1);
  net_.script.insert(net_.script.end(), {{5000, 64}, {5000, 64}});
  net_.sent.clear();
  net_.refuse_segmented = 0;
  echo.serve_ready(-1);
  ASSERT_EQ(net_.sent.size(), 2u);  // sent plainly, not as one segmented reply
  EXPECT_EQ(net_.sent[0].segment, 0);
}

TEST_F(DatagramEchoTest, AfterEinvalOnlySmallerDatagramsAreMerged) {
  // A segment larger than the route's MTU: runs of that size are sent plainly from
  // then on, runs of smaller datagrams are still merged.
  net_.refuse_segmented = EINVAL;
  net_.script = {{5000, 1000}, {5000, 1000}};
  DatagramEcho echo(net_, counters_);
  echo.serve_ready(-1);
  EXPECT_EQ(counters_.datagrams_out, 2u);
  net_.script.insert(net_.script.end(), {{5000, 1000}, {5000, 1000}, {6000, 999}, {6000, 999}});
  net_.sent.clear();
  net_.refuse_segmented = 0;
  echo.serve_ready(-1);
  ASSERT_EQ(net_.sent.size(), 3u);
  EXPECT_EQ(net_.sent[0].segment, 0);
  EXPECT_EQ(net_.sent[1].segment, 0);
  EXPECT_EQ(net_.sent[2].pieces, (std::vector<std::size_t>{999, 999}));
  EXPECT_EQ(net_.sent[2].segment, 999);
}

TEST_F(DatagramEchoTest, MergesARunOverIpv6WithItsPacketInformation) {
  serve({{5000, 64, 0, 7, true}, {5000, 64, 0, 7, true}, {5000, 64, 0, 7, true}});
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].pieces.size(), 3u);
  EXPECT_EQ(net_.sent[0].segment, 64);  // UDP_SEGMENT found after the 40-byte IPV6_PKTINFO
  EXPECT_EQ(net_.sent[0].local, 7);
  EXPECT_EQ(net_.sent[0].port, 5000);
}

TEST_F(DatagramEchoTest, AReplyThatFailsEitherWayDoesNotStopMerging) {
  // Port 6000 is unreachable for any send (as a reply to a broadcast or to port 0
  // is): its merged run fails, and so do its datagrams one by one. Segmenting was
  // not the problem, so runs to other peers are still merged.
  net_.unreachable = 6000;
  net_.script = {{6000, 64}, {6000, 64}};
  DatagramEcho echo(net_, counters_);
  echo.serve_ready(-1);
  EXPECT_EQ(counters_.datagrams_dropped, 2u);
  net_.script.insert(net_.script.end(), {{5000, 64}, {5000, 64}});
  echo.serve_ready(-1);
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].segment, 64);
}

TEST_F(DatagramEchoTest, AfterEioABurstIsAnsweredDatagramByDatagramWithoutTryingAgain) {
  net_.refuse_segmented = EIO;
  net_.script = {{5000, 64}, {5000, 64}};
  DatagramEcho echo(net_, counters_);
  echo.serve_ready(-1);
  EXPECT_EQ(net_.segmented_tries, 1);
  net_.script.push_back({5000, 250, /*gro_segment=*/100});
  net_.sent.clear();
  echo.serve_ready(-1);
  EXPECT_EQ(net_.segmented_tries, 1);  // not offered to the kernel segmented again
  ASSERT_EQ(net_.sent.size(), 3u);
  EXPECT_EQ(net_.sent[2].pieces, (std::vector<std::size_t>{50}));
}

TEST_F(DatagramEchoTest, ABufferWhoseControlMessagesWereCutIsNotEchoed) {
  // It may be a GRO burst whose segment size was lost: echoing it whole would
  // merge datagrams.
  serve({{5000, 250, 0, 1, false, MSG_CTRUNC}, {5000, 64}}, /*all_echoed=*/false);
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].pieces, (std::vector<std::size_t>{64}));
  EXPECT_EQ(counters_.datagrams_dropped, 1u);
  EXPECT_EQ(counters_.errors, 1u);
}

TEST_F(DatagramEchoTest, AFullSendBufferDropsEveryDatagramOfTheReply) {
  net_.refuse_segmented = EAGAIN;
  serve({{5000, 64}, {5000, 64}, {5000, 64}}, /*all_echoed=*/false);
  EXPECT_TRUE(net_.sent.empty());
  EXPECT_EQ(counters_.datagrams_dropped, 3u);
  EXPECT_EQ(counters_.errors, 0u);
}

TEST_F(DatagramEchoTest, ARefusedDatagramGetsNoReplyAndDoesNotBreakOrJoinARun) {
  // From the chargen port (19) between two datagrams of a run from port 5000:
  // the run still goes out as one merged reply, without the refused bytes.
  GuardSettings guard;
  guard.loop_guard = true;
  guard.policy.own_ports = {7007};
  serve({{5000, 64}, {19, 64}, {5000, 64}, {7007, 64}, {5000, 10}}, /*all_echoed=*/false, guard);
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].port, 5000);
  EXPECT_EQ(net_.sent[0].pieces, (std::vector<std::size_t>{64, 64, 10}));
  EXPECT_EQ(net_.sent[0].segment, 64);
  std::vector<std::byte> expected;  // script entries 0, 2 and 4
  for (std::size_t k : {0u, 2u, 4u}) {
    for (std::size_t i = 0; i < net_.script[k].size; ++i) expected.push_back(pattern_byte(k + i));
  }
  EXPECT_EQ(net_.sent[0].bytes, expected);
  EXPECT_EQ(counters_.datagrams_in, 5u);
  EXPECT_EQ(counters_.datagrams_out, 3u);
  EXPECT_EQ(counters_.datagrams_refused_service_port, 1u);
  EXPECT_EQ(counters_.datagrams_refused_own_port, 1u);
  EXPECT_EQ(counters_.datagrams_dropped, 0u) << "a refusal is not a drop";
}

TEST_F(DatagramEchoTest, ARefusedGroBurstIsCountedDatagramByDatagram) {
  GuardSettings guard;
  guard.loop_guard = true;
  serve({{53, 250, /*gro_segment=*/100}}, /*all_echoed=*/false, guard);
  EXPECT_TRUE(net_.sent.empty());
  EXPECT_EQ(counters_.datagrams_in, 3u);
  EXPECT_EQ(counters_.datagrams_refused_service_port, 3u);
}

TEST(DatagramEchoOffload, TurnsOnUdpGroForTheSocket) {
  Result<Fd> socket = udp_socket(AF_INET);
  ASSERT_TRUE(socket) << socket.error().message;
  if (!DatagramEcho::enable_receive_offload(socket->get())) {
    GTEST_SKIP() << "this kernel has no UDP_GRO: " << std::strerror(errno);
  }
  int on = 0;
  socklen_t length = sizeof on;
  ASSERT_EQ(::getsockopt(socket->get(), SOL_UDP, UDP_GRO, &on, &length), 0);
  EXPECT_EQ(on, 1);
}

}  // namespace
}  // namespace echo::server
