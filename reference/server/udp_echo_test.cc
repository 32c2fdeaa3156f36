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

#include "core/net/syscalls.h"

namespace echo::server {
namespace {

struct Incoming {
  std::uint16_t port;      // the peer: 127.0.0.1:port
  std::size_t size;        // bytes; each byte is (index in the script + offset) % 251
  int gro_segment = 0;     // a UDP_GRO control message with this size, if not 0
  std::uint8_t local = 1;  // IP_PKTINFO destination 127.0.0.<local>
};

// What one reply (one msghdr given to sendmmsg or sendmsg) carried.
struct Sent {
  std::uint16_t port;
  std::vector<std::size_t> pieces;  // iovec lengths
  int segment = 0;                  // UDP_SEGMENT, or 0
  std::uint8_t local = 0;           // IP_PKTINFO source 127.0.0.<local>, or 0
  std::vector<std::byte> bytes;
};

// The fakes' state (Syscalls holds plain function pointers).
std::vector<Incoming> g_script;
std::size_t g_next = 0;
std::vector<Sent> g_sent;
int g_refuse_segmented = 0;  // errno for sendmmsg of a segmented reply, or 0

std::byte pattern_byte(std::size_t i) { return static_cast<std::byte>(i % 251); }

int fake_recvmmsg(int, mmsghdr* messages, unsigned count, int, timespec*) {
  unsigned n = 0;
  for (; n < count && g_next < g_script.size(); ++n, ++g_next) {
    const Incoming& in = g_script[g_next];
    msghdr& m = messages[n].msg_hdr;
    auto* bytes = static_cast<std::byte*>(m.msg_iov[0].iov_base);
    for (std::size_t i = 0; i < in.size; ++i) bytes[i] = pattern_byte(g_next + i);
    messages[n].msg_len = static_cast<unsigned>(in.size);
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(in.port);
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::memcpy(m.msg_name, &peer, sizeof peer);
    m.msg_namelen = sizeof peer;
    auto* control = static_cast<unsigned char*>(m.msg_control);
    auto* c = reinterpret_cast<cmsghdr*>(control);
    in_pktinfo info{};
    info.ipi_addr.s_addr = htonl(0x7F000000u | in.local);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof info);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
    std::size_t used = CMSG_SPACE(sizeof info);
    if (in.gro_segment != 0) {
      c = reinterpret_cast<cmsghdr*>(control + used);
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_GRO;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &in.gro_segment, sizeof(int));
      used += CMSG_SPACE(sizeof(int));
    }
    m.msg_controllen = used;
    m.msg_flags = 0;
  }
  if (n == 0) {
    errno = EAGAIN;
    return -1;
  }
  return static_cast<int>(n);
}

Sent record(const msghdr& m) {
  Sent sent;
  sent.port = ntohs(static_cast<const sockaddr_in*>(m.msg_name)->sin_port);
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
    }
  }
  return sent;
}

int fake_sendmmsg(int, mmsghdr* messages, unsigned count, int) {
  for (unsigned k = 0; k < count; ++k) {
    Sent sent = record(messages[k].msg_hdr);
    if (sent.segment != 0 && g_refuse_segmented != 0) {
      if (k > 0) return static_cast<int>(k);
      errno = g_refuse_segmented;
      return -1;
    }
    g_sent.push_back(std::move(sent));
  }
  return static_cast<int>(count);
}

ssize_t fake_sendmsg(int, const msghdr* message, int) {
  Sent sent = record(*message);
  const auto length = static_cast<ssize_t>(sent.bytes.size());
  g_sent.push_back(std::move(sent));
  return length;
}

class DatagramEchoTest : public ::testing::Test {
 protected:
  DatagramEchoTest() : scope_(fakes()) {
    g_script.clear();
    g_next = 0;
    g_sent.clear();
    g_refuse_segmented = 0;
  }
  static Syscalls fakes() {
    Syscalls s = real_syscalls();
    s.recvmmsg = fake_recvmmsg;
    s.sendmmsg = fake_sendmmsg;
    s.sendmsg = fake_sendmsg;
    return s;
  }
  // Serves the script (in batches of DatagramEcho::kBatch) and, if all_echoed,
  // checks that the bytes sent back, in order, are exactly the bytes received.
  void serve(std::vector<Incoming> script, bool all_echoed = true) {
    g_script = std::move(script);
    DatagramEcho echo(counters_);
    echo.serve_ready(/*fd=*/-1, /*budget=*/1000);
    if (!all_echoed) return;
    std::vector<std::byte> expected;
    for (std::size_t k = 0; k < g_script.size(); ++k) {
      for (std::size_t i = 0; i < g_script[k].size; ++i) expected.push_back(pattern_byte(k + i));
    }
    std::vector<std::byte> echoed;
    for (const Sent& s : g_sent) echoed.insert(echoed.end(), s.bytes.begin(), s.bytes.end());
    EXPECT_EQ(echoed, expected);
  }
  Counters counters_;
  ScopedSyscalls scope_;
};

TEST_F(DatagramEchoTest, MergesARunFromOnePeerIntoOneSegmentedReply) {
  serve({{5000, 64}, {5000, 64}, {5000, 64}, {5000, 10}});
  ASSERT_EQ(g_sent.size(), 1u);
  EXPECT_EQ(g_sent[0].port, 5000);
  EXPECT_EQ(g_sent[0].pieces, (std::vector<std::size_t>{64, 64, 64, 10}));
  EXPECT_EQ(g_sent[0].segment, 64);
  EXPECT_EQ(g_sent[0].local, 1);
  EXPECT_EQ(counters_.datagrams_in, 4u);
  EXPECT_EQ(counters_.datagrams_out, 4u);
}

TEST_F(DatagramEchoTest, ALoneDatagramGoesWithoutASegmentSize) {
  serve({{5000, 64}});
  ASSERT_EQ(g_sent.size(), 1u);
  EXPECT_EQ(g_sent[0].segment, 0);
  EXPECT_EQ(g_sent[0].pieces, (std::vector<std::size_t>{64}));
}

TEST_F(DatagramEchoTest, ARunEndsAtAnotherPeerAnotherLocalAddressOrAShorterDatagram) {
  serve({{5000, 64}, {5000, 64}, {6000, 64}, {6000, 64, 0, 2}, {6000, 30, 0, 2}, {6000, 64}, {6000, 0},
         {6000, 0}});
  ASSERT_EQ(g_sent.size(), 6u);
  EXPECT_EQ(g_sent[0].pieces, (std::vector<std::size_t>{64, 64}));
  EXPECT_EQ(g_sent[1].port, 6000);
  EXPECT_EQ(g_sent[1].pieces, (std::vector<std::size_t>{64}));
  EXPECT_EQ(g_sent[2].local, 2);
  EXPECT_EQ(g_sent[2].pieces, (std::vector<std::size_t>{64, 30}));  // shorter last one joins
  EXPECT_EQ(g_sent[3].pieces, (std::vector<std::size_t>{64}));      // after a short one: new run
  EXPECT_EQ(g_sent[4].pieces, (std::vector<std::size_t>{0}));       // empty datagrams stay alone
  EXPECT_EQ(g_sent[5].pieces, (std::vector<std::size_t>{0}));
  EXPECT_EQ(counters_.datagrams_out, 8u);
}

TEST_F(DatagramEchoTest, ALongerDatagramDoesNotJoinARunOfShorterOnes) {
  serve({{5000, 10}, {5000, 64}});
  ASSERT_EQ(g_sent.size(), 2u);
}

TEST_F(DatagramEchoTest, LargeDatagramsAreNotMerged) {
  const std::size_t large = DatagramEcho::kMaxMergedSize + 1;
  serve({{5000, large}, {5000, large}});
  ASSERT_EQ(g_sent.size(), 2u);
  EXPECT_EQ(g_sent[0].segment, 0);
}

TEST_F(DatagramEchoTest, AMergedReplyStaysWithinOneUdpPayload) {
  std::vector<Incoming> script(50, Incoming{5000, 1400});
  serve(script);
  ASSERT_EQ(g_sent.size(), 2u);
  EXPECT_EQ(g_sent[0].pieces.size(), 46u);  // 46 x 1400 = 64,400 <= 65,507 < 47 x 1400
  EXPECT_EQ(g_sent[1].pieces.size(), 4u);
}

TEST_F(DatagramEchoTest, ACoalescedBurstIsAnsweredWithTheSameSegmentSize) {
  serve({{5000, 250, /*gro_segment=*/100}, {5000, 100}});
  ASSERT_EQ(g_sent.size(), 2u);  // the burst does not merge with what follows
  EXPECT_EQ(g_sent[0].pieces, (std::vector<std::size_t>{250}));
  EXPECT_EQ(g_sent[0].segment, 100);
  EXPECT_EQ(counters_.datagrams_in, 4u);  // 100 + 100 + 50, then 100
  EXPECT_EQ(counters_.datagrams_out, 4u);
}

TEST_F(DatagramEchoTest, ARefusedSegmentedReplyIsSentDatagramByDatagram) {
  g_refuse_segmented = EIO;
  serve({{5000, 64}, {5000, 64}, {5000, 250, 100}});
  // The run and the burst each refused, then sent one by one: 64 64 | 100 100 50.
  ASSERT_EQ(g_sent.size(), 5u);
  for (const Sent& s : g_sent) EXPECT_EQ(s.segment, 0);
  EXPECT_EQ(g_sent[2].pieces, (std::vector<std::size_t>{100}));
  EXPECT_EQ(g_sent[4].pieces, (std::vector<std::size_t>{50}));
  EXPECT_EQ(g_sent[4].local, 1);  // still from the address asked
  EXPECT_EQ(counters_.datagrams_out, 5u);
  EXPECT_EQ(counters_.errors, 0u);
}

TEST_F(DatagramEchoTest, AfterEioRunsAreNoLongerMerged) {
  g_refuse_segmented = EIO;
  g_script = {{5000, 64}, {5000, 64}};
  DatagramEcho echo(counters_);
  echo.serve_ready(-1);
  g_script.insert(g_script.end(), {{5000, 64}, {5000, 64}});
  g_sent.clear();
  g_refuse_segmented = 0;
  echo.serve_ready(-1);
  ASSERT_EQ(g_sent.size(), 2u);  // sent plainly, not as one segmented reply
  EXPECT_EQ(g_sent[0].segment, 0);
}

TEST_F(DatagramEchoTest, AFullSendBufferDropsEveryDatagramOfTheReply) {
  g_refuse_segmented = EAGAIN;
  serve({{5000, 64}, {5000, 64}, {5000, 64}}, /*all_echoed=*/false);
  EXPECT_TRUE(g_sent.empty());
  EXPECT_EQ(counters_.datagrams_dropped, 3u);
  EXPECT_EQ(counters_.errors, 0u);
}

}  // namespace
}  // namespace echo::server
