// The guard against abuse, end to end (docs/security.md): an echo loop between
// two real servers started by one spoofed datagram, datagrams from ports the
// guard refuses, and the per-address connection limit.
//
// Spoofing needs a raw socket (IP_HDRINCL), and so does watching the loop (a
// raw UDP socket sees every UDP packet delivered on this host): those tests
// run as root and skip otherwise. A loop is judged by the servers' own exit
// counters; the watcher only tells when the traffic between them has stopped.
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/address/parse.h"
#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/net/udp.h"
#include "reference/server/tests/server_fixture.h"

namespace echo::server::testing {
namespace {

bool is_root() { return ::geteuid() == 0; }

in_addr ipv4_of(const Endpoint& endpoint) {
  return reinterpret_cast<const sockaddr_in*>(endpoint.sockaddr_ptr())->sin_addr;
}

Endpoint ipv4(const char* address, std::uint16_t port) {
  Result<in_addr> parsed = parse_ipv4(address);
  EXPECT_TRUE(parsed) << address;
  return Endpoint::v4(parsed ? *parsed : in_addr{}, port);
}

std::uint16_t checksum(const unsigned char* bytes, std::size_t length, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (length % 2 != 0) sum += bytes[length - 1] << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// Sends one IPv4 UDP datagram whose source is `from`, as an attacker would.
void send_spoofed(const Endpoint& from, const Endpoint& to, std::string_view payload) {
  Fd raw(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW));  // implies IP_HDRINCL
  ASSERT_TRUE(raw.valid()) << "raw socket: " << std::strerror(errno);
  std::vector<unsigned char> packet(sizeof(iphdr) + sizeof(udphdr) + payload.size());
  auto* ip = reinterpret_cast<iphdr*>(packet.data());
  auto* udp = reinterpret_cast<udphdr*>(packet.data() + sizeof(iphdr));
  ip->version = 4;
  ip->ihl = 5;
  ip->ttl = 64;
  ip->protocol = IPPROTO_UDP;
  ip->tot_len = htons(static_cast<std::uint16_t>(packet.size()));
  ip->saddr = ipv4_of(from).s_addr;
  ip->daddr = ipv4_of(to).s_addr;  // the kernel fills in the header checksum
  udp->source = htons(from.port());
  udp->dest = htons(to.port());
  udp->len = htons(static_cast<std::uint16_t>(sizeof(udphdr) + payload.size()));
  std::memcpy(packet.data() + sizeof(iphdr) + sizeof(udphdr), payload.data(), payload.size());
  // The UDP checksum covers a pseudo-header: addresses, protocol, UDP length.
  std::uint32_t pseudo = 0;
  for (std::uint32_t address : {ntohl(ip->saddr), ntohl(ip->daddr)}) {
    pseudo += (address >> 16) + (address & 0xFFFF);
  }
  pseudo += IPPROTO_UDP + ntohs(udp->len);
  const std::uint16_t sum = checksum(packet.data() + sizeof(iphdr), ntohs(udp->len), pseudo);
  udp->check = htons(sum == 0 ? 0xFFFF : sum);
  const ssize_t sent =
      ::sendto(raw.get(), packet.data(), packet.size(), 0, to.sockaddr_ptr(), to.sockaddr_len());
  ASSERT_EQ(sent, static_cast<ssize_t>(packet.size())) << std::strerror(errno);
}

// Sees the UDP packets between two ports on this host (root: a raw socket).
class LoopWatcher {
 public:
  LoopWatcher(std::uint16_t a, std::uint16_t b) : a_(a), b_(b) {
    socket_ = Fd(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP));
    const int size = 16 << 20;
    ::setsockopt(socket_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  }
  [[nodiscard]] bool valid() const { return socket_.valid(); }

  // Packets seen between the two ports so far.
  std::uint64_t seen() {
    drain();
    return seen_;
  }
  // Waits until no packet has passed between the ports for `quiet`; false if
  // the traffic is still going at `deadline`.
  bool wait_for_silence(std::chrono::milliseconds quiet, Deadline deadline) {
    auto last = std::chrono::steady_clock::now();
    while (!deadline.expired()) {
      pollfd fd{socket_.get(), POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(quiet.count())) == 0) return true;
      const std::uint64_t before = seen_;
      drain();
      const auto now = std::chrono::steady_clock::now();
      if (seen_ != before) last = now;
      if (now - last >= quiet) return true;
    }
    return false;
  }

 private:
  void drain() {
    unsigned char packet[70000];
    for (;;) {
      const ssize_t n = ::recv(socket_.get(), packet, sizeof packet, 0);
      if (n < static_cast<ssize_t>(sizeof(iphdr) + sizeof(udphdr))) return;
      const auto* ip = reinterpret_cast<const iphdr*>(packet);
      const auto* udp = reinterpret_cast<const udphdr*>(packet + ip->ihl * 4);
      const std::uint16_t from = ntohs(udp->source);
      const std::uint16_t to = ntohs(udp->dest);
      if ((from == a_ && to == b_) || (from == b_ && to == a_)) ++seen_;
    }
  }

  std::uint16_t a_, b_;
  Fd socket_;
  std::uint64_t seen_ = 0;
};

constexpr auto kQuiet = 300ms;
constexpr auto kLoopDeadline = 10s;  // for a loop that must stop
constexpr auto kStillLooping = 1s;   // for one that must not

class EchoLoop : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root: a spoofed datagram is sent through a raw socket";
  }
  std::vector<std::string> args(const std::string& listen, std::vector<std::string> extra = {}) {
    std::vector<std::string> all = {"--listen", listen,    "--model",
                                    GetParam(), "--quiet", "--udp-only"};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }
  // Starts two servers, spoofs one datagram from B to A, and returns when the
  // traffic between them has stopped (or fails at the deadline); then both
  // servers' exit counters.
  void loop_between(const std::vector<std::string>& a_args, const std::vector<std::string>& b_args,
                    std::map<std::string, std::uint64_t>& a_counters,
                    std::map<std::string, std::uint64_t>& b_counters, bool expect_silence = true) {
    ExtraServer a, b;
    ASSERT_NO_FATAL_FAILURE(start_extra_server(a_args, a));
    ASSERT_NO_FATAL_FAILURE(start_extra_server(b_args, b));
    LoopWatcher watcher(a.udp.port(), b.udp.port());
    ASSERT_TRUE(watcher.valid()) << std::strerror(errno);
    ASSERT_NO_FATAL_FAILURE(send_spoofed(b.udp, a.udp, "one spoofed datagram"));
    const bool silent = watcher.wait_for_silence(
        kQuiet, Deadline::after(expect_silence ? kLoopDeadline : kStillLooping));
    if (expect_silence) {
      EXPECT_TRUE(silent) << watcher.seen() << " packets and still looping";
    } else {
      EXPECT_FALSE(silent) << "the loop stopped after " << watcher.seen() << " packets";
    }
    a_counters = stop_and_read_counters(*a.process);
    b_counters = stop_and_read_counters(*b.process);
    ASSERT_FALSE(a_counters.empty()) << "server A did not exit cleanly";
    ASSERT_FALSE(b_counters.empty()) << "server B did not exit cleanly";
    std::cerr << "loop: A answered " << a_counters["datagrams_out"] << ", B answered "
              << b_counters["datagrams_out"] << "; " << watcher.seen() << " packets seen\n";
  }
};

TEST_P(EchoLoop, TwoServersOnUnrelatedPortsStopAfterAFewEchoes) {
  std::map<std::string, std::uint64_t> a, b;
  ASSERT_NO_FATAL_FAILURE(loop_between(args("127.0.0.1:0"), args("127.0.0.1:0"), a, b));
  // 3 each when every round trip takes less than the detector's 50 ms window (on
  // loopback, microseconds); a machine that stalls one of them longer lets the
  // loop go round a few more times before three quick returns in a row end it.
  EXPECT_GE(a["datagrams_out"], 1u) << "the spoofed datagram was answered";
  EXPECT_LE(a["datagrams_out"], 10u);
  EXPECT_LE(b["datagrams_out"], 10u);
  EXPECT_GE(a["datagrams_refused_loop"] + b["datagrams_refused_loop"], 1u);
}

TEST_P(EchoLoop, TwoServersOnOnePortNumberNeverStart) {
  // 127.0.0.1:P and 127.0.0.2:P: each refuses its own port number as a source.
  ExtraServer probe;
  ASSERT_NO_FATAL_FAILURE(start_extra_server(args("127.0.0.1:0"), probe));
  const std::string port = std::to_string(probe.udp.port());
  ASSERT_FALSE(stop_and_read_counters(*probe.process).empty());
  std::map<std::string, std::uint64_t> a, b;
  ASSERT_NO_FATAL_FAILURE(loop_between(args("127.0.0.1:" + port), args("127.0.0.2:" + port), a, b));
  EXPECT_EQ(a["datagrams_in"], 1u);
  EXPECT_EQ(a["datagrams_out"], 0u);
  EXPECT_EQ(a["datagrams_refused_own_port"], 1u);
  EXPECT_EQ(b["datagrams_in"], 0u);
}

INSTANTIATE_TEST_SUITE_P(EchoServer, EchoLoop, kAllModels, model_name);

// Without the loop guard: the rate limit alone ends the loop, and without
// either it goes on (what the guard is for). The epoll model only: the
// guard is the same DatagramEcho in every model.
class UnguardedEchoLoop : public EchoLoop {};

TEST_P(UnguardedEchoLoop, TheRateLimitEndsItWhenItEmptiesABucket) {
  const std::vector<std::string> limited = {"--no-udp-loop-guard", "--udp-rate-limit", "1000",
                                            "--udp-burst", "50"};
  std::map<std::string, std::uint64_t> a, b;
  ASSERT_NO_FATAL_FAILURE(
      loop_between(args("127.0.0.1:0", limited), args("127.0.0.1:0", limited), a, b));
  EXPECT_GE(a["datagrams_out"], 40u) << "the loop ran until a bucket was empty";
  EXPECT_LE(a["datagrams_out"], 1000u);
  EXPECT_LE(b["datagrams_out"], 1000u);
  EXPECT_EQ(a["datagrams_rate_limited"] + b["datagrams_rate_limited"], 1u)
      << "the one datagram in flight dies at the first refusal";
}

TEST_P(UnguardedEchoLoop, WithoutTheGuardOrALimitItGoesOn) {
  const std::vector<std::string> open = {"--no-udp-loop-guard", "--udp-rate-limit", "0"};
  std::map<std::string, std::uint64_t> a, b;
  ASSERT_NO_FATAL_FAILURE(loop_between(args("127.0.0.1:0", open), args("127.0.0.1:0", open), a, b,
                                       /*expect_silence=*/false));
  EXPECT_GT(a["datagrams_out"], 100u);  // 3,800-11,000 a second each here, with the load
  EXPECT_GT(b["datagrams_out"], 100u);
}

INSTANTIATE_TEST_SUITE_P(EchoServer, UnguardedEchoLoop, ::testing::Values("epoll"), model_name);

// A datagram from `from` (a socket already bound there) is refused: no reply by
// the time the echo of a later datagram from an ordinary client has come back.
void expect_unanswered(int from, const Endpoint& server) {
  const std::string payload = "from a refused port";
  ASSERT_TRUE(send_datagram(from, std::as_bytes(std::span(payload)), server));
  Result<Fd> client = udp_connect(server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(write_all(client->get(), std::as_bytes(std::span("marker", 6)), io_deadline()));
  char reply[16];
  ASSERT_TRUE(read_some(client->get(), std::as_writable_bytes(std::span(reply)), io_deadline()))
      << "the marker was not echoed";
  // Answered in arrival order: a reply to `from` would be queued by now.
  EXPECT_LT(::recv(from, reply, sizeof reply, MSG_DONTWAIT), 0) << "the refused port got a reply";
}

class RefusedSources : public EchoServerTest {};

TEST_P(RefusedSources, NoReplyToTheServersOwnPortNumber) {
  ASSERT_NO_FATAL_FAILURE(start({"--udp-only"}, "127.0.0.1:0", /*pipe_stderr=*/true));
  Result<Fd> twin = udp_bind(ipv4("127.0.0.2", udp_.port()), false);
  ASSERT_TRUE(twin) << twin.error().message;
  ASSERT_NO_FATAL_FAILURE(expect_unanswered(twin->get(), udp_));
  std::map<std::string, std::uint64_t> counters = stop_and_read_counters(*server_);
  EXPECT_EQ(counters["datagrams_refused_own_port"], 1u);
  EXPECT_EQ(counters["datagrams_out"], 1u);  // the marker
}

TEST_P(RefusedSources, NoReplyToEchoChargenDnsOrNtp) {
  if (!is_root()) GTEST_SKIP() << "needs root: binds source ports below 1024";
  ASSERT_NO_FATAL_FAILURE(start({"--udp-only"}, "127.0.0.1:0", /*pipe_stderr=*/true));
  int refused = 0;
  for (std::uint16_t port : {7, 19, 53, 123}) {
    Result<Fd> service = udp_bind(ipv4("127.0.0.3", port), false);
    if (!service) continue;  // something here listens there: not ours to test
    SCOPED_TRACE(port);
    ASSERT_NO_FATAL_FAILURE(expect_unanswered(service->get(), udp_));
    ++refused;
  }
  std::map<std::string, std::uint64_t> counters = stop_and_read_counters(*server_);
  EXPECT_EQ(counters["datagrams_refused_service_port"], static_cast<std::uint64_t>(refused));
}

TEST_P(RefusedSources, AnAllowedPortIsAnswered) {
  std::uint16_t port = 0;
  {
    Result<Fd> probe = udp_bind(ipv4("127.0.0.1", 0), false);
    ASSERT_TRUE(probe);
    Result<Endpoint> bound = local_endpoint(probe->get());
    ASSERT_TRUE(bound);
    port = bound->port();
  }  // free again, for the server
  ASSERT_NO_FATAL_FAILURE(start({"--udp-only", "--udp-allow-source-port", std::to_string(port)},
                                "127.0.0.1:" + std::to_string(port)));
  Result<Fd> twin = udp_bind(ipv4("127.0.0.2", port), false);
  ASSERT_TRUE(twin) << twin.error().message;
  const std::string payload = "from an allowed port";
  ASSERT_TRUE(send_datagram(twin->get(), std::as_bytes(std::span(payload)), udp_));
  std::vector<std::byte> reply(100);
  Result<Datagram> got = receive_datagram(twin->get(), reply, io_deadline());
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->size, payload.size());
}

INSTANTIATE_TEST_SUITE_P(EchoServer, RefusedSources, kAllModels, model_name);

// A TCP connection from `source` (an address; the port is picked) to `server`.
Fd connect_from(const char* source, const Endpoint& server) {
  Fd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_TRUE(socket.valid());
  const Endpoint local = ipv4(source, 0);
  EXPECT_EQ(::bind(socket.get(), local.sockaddr_ptr(), local.sockaddr_len()), 0)
      << std::strerror(errno);
  EXPECT_EQ(::connect(socket.get(), server.sockaddr_ptr(), server.sockaddr_len()), 0)
      << std::strerror(errno);
  return socket;
}

// Whether the server resets the connection unprompted, rather than closing it
// cleanly (an end of stream) or leaving it open. Nothing is sent: data sent to
// a closed socket would draw a reset whichever way it was closed.
bool is_reset_unprompted(int fd) {
  char byte = 0;
  Result<std::size_t> n = read_some(fd, std::as_writable_bytes(std::span(&byte, 1)), io_deadline());
  return !n && n.error().code == std::errc::connection_reset;
}

// Whether a byte sent comes back.
bool echoes(int fd) {
  if (::send(fd, "x", 1, MSG_NOSIGNAL) != 1) return false;
  char reply = 0;
  Result<std::size_t> n =
      read_some(fd, std::as_writable_bytes(std::span(&reply, 1)), io_deadline());
  return n && *n == 1 && reply == 'x';
}

class PerAddressLimit : public EchoServerTest {};

TEST_P(PerAddressLimit, ResetsConnectionsAboveTheLimitFromOneAddressOnly) {
  ASSERT_NO_FATAL_FAILURE(start({"--tcp-only", "--max-connections-per-address", "2"}, "0.0.0.0:0",
                                /*pipe_stderr=*/true));
  const Endpoint server = ipv4("127.0.0.1", tcp_.port());
  Fd first = connect_from("127.0.0.1", server);
  expect_echo(first.get(), "first");
  Fd second = connect_from("127.0.0.1", server);
  expect_echo(second.get(), "second");
  Fd third = connect_from("127.0.0.1", server);  // the handshake completes in the kernel
  EXPECT_TRUE(is_reset_unprompted(third.get()))
      << "a third connection from 127.0.0.1 was not reset";

  Fd elsewhere = connect_from("127.0.0.2", server);
  expect_echo(elsewhere.get(), "another address has its own count");

  // Once one of the two closes, 127.0.0.1 may connect again. (The fork model
  // frees the slot when it reaps the child, a little after the client sees
  // the end of stream: try until served.)
  ASSERT_EQ(::shutdown(first.get(), SHUT_WR), 0);
  EXPECT_EQ(read_until_eof(first.get(), io_deadline()), "");
  const Deadline deadline = io_deadline();
  bool served = false;
  while (!served && !deadline.expired()) {
    Fd again = connect_from("127.0.0.1", server);
    served = echoes(again.get());
  }
  EXPECT_TRUE(served) << "127.0.0.1 stayed refused after closing a connection";

  second.reset();  // nothing left open: no drain to wait for
  elsewhere.reset();
  std::map<std::string, std::uint64_t> counters = stop_and_read_counters(*server_);
  EXPECT_GE(counters["connections_refused_per_address"], 1u);
}

INSTANTIATE_TEST_SUITE_P(EchoServer, PerAddressLimit, kConcurrentModels, model_name);

}  // namespace
}  // namespace echo::server::testing
