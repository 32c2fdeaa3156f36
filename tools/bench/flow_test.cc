// UdpFlow against a socket the test answers from, on 127.0.0.1 (port 0):
//   receive: a GSO burst arrives whole (UDP_GRO) and is split back into
//            datagrams, each verified on its own; two records merged into one
//            datagram still fail;
//   send (gso): flush() sends each record as a datagram of its own, across the
//            ring's end and within the kernel's limits, with as many GSO sends
//            as those limits call for (counted: a flow that silently sent
//            datagram by datagram fails), and falls back to sendmmsg() where the
//            kernel refuses UDP_SEGMENT, also after GSO worked (the MTU dropped).
// Single-threaded: the test sends, then waits (with a deadline) for the other end.
#include "tools/bench/flow.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/net/udp.h"
#include "tools/bench/probe_stamper.h"

namespace echo::bench {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::byte>;

constexpr auto kPatience = 10s;  // for what should take microseconds on loopback

Bytes concat(const std::vector<Bytes>& datagrams) {
  Bytes all;
  for (const Bytes& d : datagrams) all.insert(all.end(), d.begin(), d.end());
  return all;
}

// sendmsg() of `bytes` as `segment`-byte datagrams (UDP_SEGMENT); -1 and errno on failure.
ssize_t send_gso(int fd, std::span<const std::byte> bytes, std::uint16_t segment) {
  iovec piece{const_cast<std::byte*>(bytes.data()), bytes.size()};
  alignas(cmsghdr) unsigned char control[kUdpSegmentSpace] = {};
  msghdr message{};
  message.msg_iov = &piece;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = write_udp_segment(segment, control);
  return ::sendmsg(fd, &message, MSG_NOSIGNAL);
}

bool has_ipv6_loopback() { return udp_bind(Endpoint::loopback_v6(0), false).ok(); }

bool kernel_has_udp_gro() {
  auto fd = udp_socket(AF_INET);
  return fd && enable_udp_gro(fd->get());
}

struct Drained {
  std::uint64_t echoes = 0;  // on_echo calls
  IoResult::State state = IoResult::kOk;
};

class UdpFlowTest : public testing::Test {
 protected:
  // A flow of `size`-byte records on a socket connected to server_, and back
  // (over 127.0.0.1, or ::1 with `v6`).
  void start(std::size_t size, unsigned window, bool gso, bool v6 = false) {
    auto server = udp_bind(v6 ? Endpoint::loopback_v6(0) : Endpoint::loopback_v4(0), false);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    const int room = 4 << 20;  // best effort: a whole window queued before the test reads
    (void)::setsockopt(server_.get(), SOL_SOCKET, SO_RCVBUF, &room, sizeof room);
    auto server_address = local_endpoint(server_.get());
    ASSERT_TRUE(server_address) << server_address.error().message;
    auto client = udp_connect(*server_address);
    ASSERT_TRUE(client) << client.error().message;
    auto client_address = local_endpoint(client->get());
    ASSERT_TRUE(client_address) << client_address.error().message;
    ASSERT_EQ(
        ::connect(server_.get(), client_address->sockaddr_ptr(), client_address->sockaddr_len()),
        0);
    stamper_.emplace(payload_for_size(size));
    flow_.emplace(std::move(*client), *stamper_, window, gso);
  }

  void push(unsigned count) {
    for (unsigned i = 0; i < count; ++i) flow_->push(1'000'000 + i);
  }

  // Up to `count` datagrams as they reached the server (fewer if the deadline passes).
  std::vector<Bytes> take(std::size_t count) {
    std::vector<Bytes> datagrams;
    Bytes buffer(65536);
    const Deadline deadline = Deadline::after(kPatience);
    while (datagrams.size() < count) {
      auto got = receive_datagram(server_.get(), buffer, deadline);
      if (!got) break;
      datagrams.emplace_back(buffer.begin(),
                             buffer.begin() + static_cast<std::ptrdiff_t>(got->size));
    }
    return datagrams;
  }

  void reply(std::span<const std::byte> datagram) {
    EXPECT_EQ(::send(server_.get(), datagram.data(), datagram.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(datagram.size()));
  }

  void reply_burst(std::span<const std::byte> bytes, std::uint16_t segment) {
    EXPECT_EQ(send_gso(server_.get(), bytes, segment), static_cast<ssize_t>(bytes.size()))
        << std::strerror(errno);
  }

  // Receives until `want` echoes, a failure, or the deadline.
  Drained drain(std::uint64_t want) {
    Drained d;
    const Deadline deadline = Deadline::after(kPatience);
    while (d.echoes < want && d.state == IoResult::kOk) {
      if (!wait_ready(flow_->fd(), POLLIN, deadline)) break;
      d.state = flow_->receive(scratch_, [&](std::int64_t) { ++d.echoes; }).state;
    }
    return d;
  }

  // Each datagram is an intact record, the sequences first, first + 1, ...
  void expect_records_from(std::uint64_t first, const std::vector<Bytes>& datagrams) {
    for (std::size_t i = 0; i < datagrams.size(); ++i) {
      SCOPED_TRACE("datagram " + std::to_string(i));
      ASSERT_EQ(datagrams[i].size(), stamper_->record_size());
      EXPECT_TRUE(stamper_->is_intact(datagrams[i]));
      EXPECT_EQ(record_sequence(datagrams[i]), first + i);
    }
  }

  Fd server_;
  std::optional<ProbeStamper> stamper_;
  std::optional<UdpFlow> flow_;
  Bytes scratch_ = Bytes(UdpFlow::kReceiveBatch * UdpFlow::kReceiveSlot);
};

TEST_F(UdpFlowTest, GroBurstIsVerifiedDatagramByDatagram) {
  if (!kernel_has_udp_gro()) GTEST_SKIP() << "the kernel has no UDP_GRO (before Linux 5.0)";
  ASSERT_NO_FATAL_FAILURE(start(64, 16, false));
  push(16);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  const std::vector<Bytes> sent = take(16);
  ASSERT_EQ(sent.size(), 16u);
  reply_burst(concat(sent), 64);

  const Drained d = drain(16);
  EXPECT_EQ(d.state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(d.echoes, 16u);
  const UdpCounts counts = flow_->udp_counts();
  EXPECT_EQ(counts.gro_bursts, 1u);  // one 1024-byte read, split into 16 datagrams
  EXPECT_EQ(counts.gso_sends, 0u);   // not asked for
  EXPECT_EQ(counts.sent, 16u);
  EXPECT_EQ(counts.echoed, 16u);
  EXPECT_EQ(counts.duplicated, 0u);
  EXPECT_EQ(counts.reordered, 0u);
  EXPECT_EQ(flow_->in_flight(), 0u);
  EXPECT_TRUE(flow_->error().empty()) << flow_->error();
}

TEST_F(UdpFlowTest, ShorterLastSegmentOfABurstIsADatagramOfItsOwn) {
  if (!kernel_has_udp_gro()) GTEST_SKIP() << "the kernel has no UDP_GRO (before Linux 5.0)";
  ASSERT_NO_FATAL_FAILURE(start(64, 4, false));
  push(3);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  const std::vector<Bytes> sent = take(3);
  ASSERT_EQ(sent.size(), 3u);
  Bytes burst = concat(sent);
  burst.insert(burst.end(), sent[0].begin(), sent[0].begin() + 20);  // 64 + 64 + 64 + 20
  reply_burst(burst, 64);

  const Drained d = drain(100);
  EXPECT_EQ(d.echoes, 3u);  // the three whole records pass
  EXPECT_EQ(d.state, IoResult::kVerification);
  EXPECT_NE(flow_->error().find("a 20-byte datagram"), std::string::npos) << flow_->error();
  EXPECT_EQ(flow_->udp_counts().echoed, 3u);
}

TEST_F(UdpFlowTest, CorruptRecordInsideABurstIsCaught) {
  if (!kernel_has_udp_gro()) GTEST_SKIP() << "the kernel has no UDP_GRO (before Linux 5.0)";
  ASSERT_NO_FATAL_FAILURE(start(64, 4, false));
  push(4);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  std::vector<Bytes> sent = take(4);
  ASSERT_EQ(sent.size(), 4u);
  sent[2][40] ^= std::byte{0x01};
  reply_burst(concat(sent), 64);

  const Drained d = drain(100);
  EXPECT_EQ(d.echoes, 2u);
  EXPECT_EQ(d.state, IoResult::kVerification);
  EXPECT_NE(flow_->error().find("a 64-byte datagram came back that is not"), std::string::npos)
      << flow_->error();
  EXPECT_EQ(flow_->udp_counts().echoed, 2u);
}

// A server that merges two records into one datagram, without GSO: the kernel
// delivers it as one 128-byte datagram (no UDP_GRO message), which is no record.
TEST_F(UdpFlowTest, TwoRecordsInOnePlainDatagramStillFail) {
  ASSERT_NO_FATAL_FAILURE(start(64, 2, false));
  push(2);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  const std::vector<Bytes> sent = take(2);
  ASSERT_EQ(sent.size(), 2u);
  reply(concat(sent));

  const Drained d = drain(100);
  EXPECT_EQ(d.echoes, 0u);
  EXPECT_EQ(d.state, IoResult::kVerification);
  EXPECT_NE(flow_->error().find("a 128-byte datagram"), std::string::npos) << flow_->error();
  EXPECT_EQ(flow_->udp_counts().gro_bursts, 0u);
  EXPECT_EQ(flow_->udp_counts().echoed, 0u);
}

// The same merge inside a GSO burst: a 128-byte segment is still one datagram.
TEST_F(UdpFlowTest, TwoRecordsInOneGsoSegmentStillFail) {
  ASSERT_NO_FATAL_FAILURE(start(64, 4, false));
  push(4);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  const std::vector<Bytes> sent = take(4);
  ASSERT_EQ(sent.size(), 4u);
  reply_burst(concat(sent), 128);

  const Drained d = drain(100);
  EXPECT_EQ(d.echoes, 0u);
  EXPECT_EQ(d.state, IoResult::kVerification);
  EXPECT_NE(flow_->error().find("a 128-byte datagram"), std::string::npos) << flow_->error();
}

TEST_F(UdpFlowTest, GsoBurstAcrossTheRingEndArrivesAsSeparateRecords) {
  ASSERT_NO_FATAL_FAILURE(start(64, 8, true));
  push(5);  // ring slots 0-4
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(flow_->udp_counts().gso_sends, 1u) << "the kernel refused UDP_SEGMENT on loopback";
  std::vector<Bytes> sent = take(5);
  ASSERT_EQ(sent.size(), 5u);
  ASSERT_NO_FATAL_FAILURE(expect_records_from(0, sent));
  for (const Bytes& d : sent) reply(d);
  ASSERT_EQ(drain(5).echoes, 5u) << flow_->error();

  push(8);  // ring slots 5, 6, 7, 0, 1, 2, 3, 4: two pieces
  const IoResult put = flow_->flush();
  ASSERT_EQ(put.state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(put.bytes, 8u * 64);
  EXPECT_EQ(flow_->udp_counts().gso_sends, 2u);  // one send of two pieces
  EXPECT_EQ(flow_->udp_counts().gso_fallbacks, 0u);
  EXPECT_FALSE(flow_->wants_write());
  sent = take(8);
  ASSERT_EQ(sent.size(), 8u);
  ASSERT_NO_FATAL_FAILURE(expect_records_from(5, sent));
  for (const Bytes& d : sent) reply(d);

  const Drained d = drain(8);
  EXPECT_EQ(d.state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(d.echoes, 8u);
  EXPECT_EQ(flow_->udp_counts().sent, 13u);
  EXPECT_EQ(flow_->udp_counts().echoed, 13u);
  EXPECT_EQ(flow_->udp_counts().reordered, 0u);
}

TEST_F(UdpFlowTest, GsoSendAndGroReceiveCountEveryDatagram) {
  if (!kernel_has_udp_gro()) GTEST_SKIP() << "the kernel has no UDP_GRO (before Linux 5.0)";
  ASSERT_NO_FATAL_FAILURE(start(100, 32, true));
  push(32);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(flow_->udp_counts().gso_sends, 1u);  // 32 x 100 bytes: one send
  const std::vector<Bytes> sent = take(32);
  ASSERT_EQ(sent.size(), 32u);
  ASSERT_NO_FATAL_FAILURE(expect_records_from(0, sent));
  reply_burst(concat(sent), 100);

  const Drained d = drain(32);
  EXPECT_EQ(d.state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(d.echoes, 32u);
  EXPECT_EQ(flow_->udp_counts().gro_bursts, 1u);
  EXPECT_EQ(flow_->udp_counts().sent, 32u);
  EXPECT_EQ(flow_->udp_counts().echoed, 32u);
  EXPECT_EQ(flow_->in_flight(), 0u);
}

// Bursts are cut at 64 datagrams and at 65,507 bytes (65,535 less the IPv4 and
// UDP headers): the kernel refuses more, and every record still goes out once,
// in order, with exactly the GSO sends the limits call for. A wrong limit either
// sends more per call (the kernel refuses: the flow falls back, no GSO send, or
// where a newer kernel takes 128 segments, fewer sends) or fewer (more sends).
struct GsoLimitCase {
  std::size_t size;
  unsigned window;     // records pushed, all flushed at once
  unsigned gso_sends;  // sendmsg() calls with UDP_SEGMENT; the rest leave plainly
};

void PrintTo(const GsoLimitCase& c, std::ostream* out) {
  *out << c.window << " x " << c.size << " bytes, " << c.gso_sends << " GSO sends";
}

class UdpFlowGsoLimits : public UdpFlowTest, public testing::WithParamInterface<GsoLimitCase> {};

TEST_P(UdpFlowGsoLimits, EveryRecordIsSentOnceInOrder) {
  const auto [size, window, gso_sends] = GetParam();
  ASSERT_NO_FATAL_FAILURE(start(size, window, true));
  push(window);
  const IoResult put = flow_->flush();
  ASSERT_EQ(put.state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(put.bytes, std::uint64_t{window} * size);
  EXPECT_TRUE(flow_->gso()) << "a GSO send was refused: over the kernel's limits?";
  EXPECT_EQ(flow_->udp_counts().gso_sends, gso_sends);
  EXPECT_EQ(flow_->udp_counts().gso_fallbacks, 0u);
  EXPECT_EQ(flow_->udp_counts().sent, window);
  const std::vector<Bytes> sent = take(window);
  ASSERT_EQ(sent.size(), window);
  expect_records_from(0, sent);
}

INSTANTIATE_TEST_SUITE_P(
    SizesAndWindows, UdpFlowGsoLimits,
    testing::Values(GsoLimitCase{64, 100, 2},    // 64 + 36 datagrams
                    GsoLimitCase{1400, 60, 2},   // 46 + 14 (46 x 1400 = 64,400 bytes)
                    GsoLimitCase{32753, 3, 1},   // 2 + 1 plain (2 x 32753 = 65,506)
                    GsoLimitCase{21840, 6, 3},   // 2 + 2 + 2: 3 x 21840 = 65,520 > 65,507
                                                 // (a 65,535 cap: one refused send of 3)
                    GsoLimitCase{32760, 3, 0}),  // 1 + 1 + 1 plain: 2 x 32760 = 65,520
                                                 // (a 65,535 cap: a refused send of 2)
    [](const testing::TestParamInfo<GsoLimitCase>& test) {
      return std::to_string(test.param.size) + "x" + std::to_string(test.param.window);
    });

// SO_NO_CHECK (no UDP checksum) makes the kernel refuse UDP_SEGMENT with EINVAL.
int gso_error_without_checksum() {
  auto receiver = udp_bind(Endpoint::loopback_v4(0), false);
  if (!receiver) return -1;
  auto sender = udp_connect(*local_endpoint(receiver->get()));
  const int on = 1;
  if (!sender || ::setsockopt(sender->get(), SOL_SOCKET, SO_NO_CHECK, &on, sizeof on) != 0) {
    return -1;
  }
  const Bytes two(128);
  return send_gso(sender->get(), two, 64) < 0 ? errno : 0;
}

TEST_F(UdpFlowTest, RefusedGsoFallsBackToADatagramEach) {
  const int refusal = gso_error_without_checksum();
  if (refusal != EINVAL && refusal != EIO) {
    GTEST_SKIP() << "this kernel sends GSO without checksums (" << refusal << ")";
  }
  ASSERT_NO_FATAL_FAILURE(start(64, 8, true));
  const int on = 1;
  ASSERT_EQ(::setsockopt(flow_->fd(), SOL_SOCKET, SO_NO_CHECK, &on, sizeof on), 0);
  push(8);
  const IoResult put = flow_->flush();
  EXPECT_EQ(put.state, IoResult::kOk) << flow_->error();
  EXPECT_TRUE(flow_->error().empty()) << flow_->error();
  EXPECT_FALSE(flow_->gso());
  EXPECT_EQ(flow_->udp_counts().gso_sends, 0u);
  EXPECT_EQ(flow_->udp_counts().gso_fallbacks, 1u);
  EXPECT_EQ(put.bytes, 8u * 64);
  EXPECT_EQ(flow_->udp_counts().sent, 8u);
  const std::vector<Bytes> sent = take(8);
  ASSERT_EQ(sent.size(), 8u);
  expect_records_from(0, sent);
}

// A segment plus headers above the route's MTU: Linux 6.x refuses the GSO send
// with EMSGSIZE (older kernels EINVAL), as for `--gso -s 1473` over a 1500-byte
// MTU. Loopback's MTU is 64 KiB, so the test lowers the socket's own (IPV6_MTU,
// IPv6 only); plain datagrams above it still go out, fragmented.
constexpr int kLowMtu = 1280;  // IPv6's minimum
constexpr std::size_t kAboveLowMtu = 1400;

TEST_F(UdpFlowTest, GsoAboveTheMtuFallsBackToADatagramEach) {
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback";
  ASSERT_NO_FATAL_FAILURE(start(kAboveLowMtu, 8, true, /*v6=*/true));
  ASSERT_EQ(::setsockopt(flow_->fd(), IPPROTO_IPV6, IPV6_MTU, &kLowMtu, sizeof kLowMtu), 0)
      << std::strerror(errno);
  push(8);
  const IoResult put = flow_->flush();
  EXPECT_EQ(put.state, IoResult::kOk) << flow_->error();
  EXPECT_TRUE(flow_->error().empty()) << flow_->error();
  EXPECT_FALSE(flow_->gso());
  EXPECT_EQ(flow_->udp_counts().gso_sends, 0u);
  EXPECT_EQ(flow_->udp_counts().gso_fallbacks, 1u);
  EXPECT_EQ(put.bytes, 8u * kAboveLowMtu);
  EXPECT_EQ(flow_->udp_counts().sent, 8u);
  const std::vector<Bytes> sent = take(8);
  ASSERT_EQ(sent.size(), 8u);
  expect_records_from(0, sent);
}

// The same after GSO sends worked: the path MTU can drop during a run. The
// flow falls back instead of failing.
TEST_F(UdpFlowTest, GsoRefusedAfterItWorkedFallsBack) {
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback";
  ASSERT_NO_FATAL_FAILURE(start(kAboveLowMtu, 8, true, /*v6=*/true));
  push(4);
  ASSERT_EQ(flow_->flush().state, IoResult::kOk) << flow_->error();
  EXPECT_EQ(flow_->udp_counts().gso_sends, 1u);
  std::vector<Bytes> sent = take(4);
  ASSERT_EQ(sent.size(), 4u);
  ASSERT_NO_FATAL_FAILURE(expect_records_from(0, sent));
  for (const Bytes& d : sent) reply(d);
  ASSERT_EQ(drain(4).echoes, 4u) << flow_->error();

  ASSERT_EQ(::setsockopt(flow_->fd(), IPPROTO_IPV6, IPV6_MTU, &kLowMtu, sizeof kLowMtu), 0)
      << std::strerror(errno);
  push(4);
  const IoResult put = flow_->flush();
  EXPECT_EQ(put.state, IoResult::kOk) << flow_->error();
  EXPECT_TRUE(flow_->error().empty()) << flow_->error();
  EXPECT_FALSE(flow_->gso());
  EXPECT_EQ(flow_->udp_counts().gso_sends, 1u);
  EXPECT_EQ(flow_->udp_counts().gso_fallbacks, 1u);
  EXPECT_EQ(put.bytes, 4u * kAboveLowMtu);
  EXPECT_EQ(flow_->udp_counts().sent, 8u);
  sent = take(4);
  ASSERT_EQ(sent.size(), 4u);
  expect_records_from(4, sent);
}

}  // namespace
}  // namespace echo::bench
