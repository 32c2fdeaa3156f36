// echo-bench end to end: against the yardstick server (TCP and UDP) it must
// verify echoes and exit 0; against a server that flips one byte it must exit
// 1; against a port nobody listens on, 2. Everything on 127.0.0.1, port 0.
// UDP GSO/GRO: a server echoing in GSO bursts passes (with and without --gso);
// one merging two records into one plain datagram fails. The report counts
// the GSO sends made and the GRO bursts received, and says when GSO was refused.
#include <gtest/gtest.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/net/udp.h"  // UDP_SEGMENT where the C library lacks it
#include "core/process/child_process.h"
#include "core/process/listening_line.h"
#include "tools/bench/flow.h"
#include "tools/bench/options.h"
#include "tools/bench/report.h"

namespace echo {
namespace {

using namespace std::chrono_literals;

struct BenchRun {
  int exit_code = -1;
  std::string output;
  nlohmann::json json;
};

std::string temp_json_path() {
  return testing::TempDir() + "echo-bench-" + std::to_string(::getpid()) + "-" +
         testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
}

BenchRun run_bench(std::vector<std::string> args) {
  const std::string json_path = temp_json_path();
  args.insert(args.end(), {"--quiet", "--duration", "1", "--warmup", "0.2", "--json", json_path});
  BenchRun run;
  auto bench = ChildProcess::spawn(sibling_program("echo-bench"), args);
  EXPECT_TRUE(bench) << bench.error().message;
  if (!bench) return run;
  auto output = bench->read_all(Deadline::after(30s));
  if (output) run.output = *output;
  auto status = bench->wait(Deadline::after(30s));
  EXPECT_TRUE(status) << status.error().message;
  if (status) run.exit_code = *status;
  std::ifstream file(json_path);
  if (file) run.json = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  std::remove(json_path.c_str());
  return run;
}

class YardstickServer : public testing::Test {
 protected:
  void SetUp() override {
    auto spawned = ChildProcess::spawn(sibling_program("yardstick-server"), {"0"});
    ASSERT_TRUE(spawned) << spawned.error().message;
    server_.emplace(std::move(*spawned));
    Result<Listening> listening = wait_for_listening(*server_, Deadline::after(10s));
    ASSERT_TRUE(listening) << listening.error().message;
    target_ = listening->tcp.front().to_string();
  }
  std::optional<ChildProcess> server_;  // killed and reaped by its destructor
  std::string target_;
};

TEST_F(YardstickServer, TcpPipelinedRunVerifiesEveryEcho) {
  BenchRun run = run_bench({target_, "--connections", "4", "--pipeline", "4", "--threads", "2"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  EXPECT_GT(run.json["messages"]["received"].get<double>(), 0) << run.output;
  EXPECT_GT(run.json["bytes"]["received"].get<double>(), 0);
  EXPECT_EQ(run.json["errors"]["verification"], 0);
  EXPECT_GT(run.json["latency_us"]["p50"].get<double>(), 0);
  EXPECT_NE(run.output.find("msg/s"), std::string::npos);
}

TEST_F(YardstickServer, JsonPlacesTheMeasuredWindowOnTheMonotonicClock) {
  // tools/bench-peers lines its CPU samples up with this window.
  const auto steady_now = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  const std::int64_t before = steady_now();
  BenchRun run = run_bench({target_, "--connections", "2"});
  const std::int64_t after = steady_now();
  ASSERT_TRUE(run.json.is_object()) << run.output;
  const auto window = run.json["window_monotonic_ns"];
  ASSERT_TRUE(window.is_array()) << run.json.dump();
  const auto start = window[0].get<std::int64_t>(), end = window[1].get<std::int64_t>();
  EXPECT_GE(start, before + 200'000'000);  // after the 0.2 s warm-up
  EXPECT_LE(end, after);
  EXPECT_EQ(end - start, 1'000'000'000);  // --duration 1
}

TEST_F(YardstickServer, OpenLoopRunKeepsTheRate) {
  BenchRun run = run_bench({target_, "--connections", "2", "--rate", "2000"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  const double rate = run.json["messages"]["per_second"].get<double>();
  EXPECT_GT(rate, 1500) << run.output;  // 2000 scheduled; a loose bound on a busy machine
  EXPECT_LT(rate, 2500) << run.output;
}

// Every datagram of every burst is verified: the counts add up exactly.
void expect_every_datagram_echoed(const BenchRun& run) {
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  EXPECT_EQ(run.json["errors"]["verification"], 0) << run.output;
  EXPECT_GT(run.json["udp"]["echoed"].get<double>(), 0) << run.output;
  EXPECT_EQ(run.json["udp"]["echoed"], run.json["udp"]["sent"]) << run.output;
  EXPECT_EQ(run.json["udp"]["duplicated"], 0) << run.output;
}

// --gso was used, not merely asked for: GSO sends were made and none refused.
void expect_gso_sends(const BenchRun& run) {
  ASSERT_TRUE(run.json.is_object()) << run.output;
  EXPECT_EQ(run.json["gso"], true);
  EXPECT_GT(run.json["udp"]["gso_sends"].get<double>(), 0) << run.output;
  EXPECT_EQ(run.json["udp"]["gso_fallbacks"], 0) << run.output;
  EXPECT_NE(run.output.find("GSO: "), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("refused"), std::string::npos) << run.output;
}

TEST_F(YardstickServer, UdpGsoRunCountsEveryDatagram) {
  // A generous --udp-timeout so that a descheduled server is not counted as loss.
  BenchRun run = run_bench({target_, "--udp", "--gso", "--connections", "2", "--pipeline", "8",
                            "--udp-timeout", "5000"});
  expect_every_datagram_echoed(run);
  expect_gso_sends(run);
}

TEST_F(YardstickServer, UdpRunCountsEveryDatagram) {
  BenchRun run = run_bench({target_, "--udp", "--connections", "2", "--pipeline", "8"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  EXPECT_GT(run.json["messages"]["received"].get<double>(), 0) << run.output;
  EXPECT_EQ(run.json["udp"]["duplicated"], 0);
  EXPECT_GT(run.json["udp"]["echoed"].get<double>(), 0);
  EXPECT_EQ(run.json["udp"]["gso_sends"], 0);  // not asked for
  EXPECT_EQ(run.output.find("GSO"), std::string::npos) << run.output;
}

// A one-connection echo server that flips one bit of the 100th byte it echoes.
class CorruptingServer {
 public:
  CorruptingServer() {
    auto listener = tcp_listen(Endpoint::loopback_v4(0));
    EXPECT_TRUE(listener);
    if (!listener) return;
    listener_ = std::move(*listener);
    port_ = local_endpoint(listener_.get())->port();
    thread_ = std::thread([this] { serve(); });
  }
  ~CorruptingServer() { thread_.join(); }
  [[nodiscard]] std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void serve() {
    const Deadline deadline = Deadline::after(20s);
    if (!wait_ready(listener_.get(), POLLIN, deadline)) return;
    auto connection = tcp_accept(listener_.get());
    if (!connection) return;
    std::vector<std::byte> buffer(4096);
    std::uint64_t offset = 0;
    for (;;) {
      auto n = read_some(connection->get(), buffer, deadline);
      if (!n || *n == 0) return;
      if (offset <= 99 && 99 < offset + *n) buffer[99 - offset] ^= std::byte{0x01};
      offset += *n;
      if (!write_all(connection->get(), std::span(buffer).first(*n), deadline)) return;
    }
  }
  Fd listener_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST(EchoBench, CorruptedEchoExitsOne) {
  CorruptingServer server;
  BenchRun run = run_bench({server.target(), "--pipeline", "4"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  EXPECT_EQ(run.json["errors"]["verification"], 1);
  EXPECT_NE(run.json["errors"]["first"].get<std::string>().find("echo byte 99 is"),
            std::string::npos)
      << run.json["errors"]["first"];
}

// A UDP echo server on 127.0.0.1 for one test, on a thread of its own.
//   kGsoBursts: echoes the datagrams of one peer that one recvmmsg() returned
//               as ONE GSO burst (sendmsg with UDP_SEGMENT), as a fast server may;
//   kMergePairs: echoes the first datagram (echo-bench's reachability probe),
//               then every two datagrams of a peer as ONE plain datagram: broken.
class UdpTestServer {
 public:
  enum Mode { kGsoBursts, kMergePairs };
  explicit UdpTestServer(Mode mode) : mode_(mode) {
    auto socket = udp_bind(Endpoint::loopback_v4(0), false);
    EXPECT_TRUE(socket);
    if (!socket) return;
    socket_ = std::move(*socket);
    port_ = local_endpoint(socket_.get())->port();
    thread_ = std::thread([this] { serve(); });
  }
  ~UdpTestServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  [[nodiscard]] std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  // GSO sends of two datagrams or more.
  [[nodiscard]] std::uint64_t bursts() const { return bursts_.load(); }

 private:
  static constexpr unsigned kBatch = 64;
  static constexpr std::size_t kSlot = 2048;

  void serve() {
    const Deadline end = Deadline::after(30s);
    std::vector<std::byte> buffer(kBatch * kSlot);
    while (!stop_ && !end.expired()) {
      // Short waits so that the destructor's stop_ is seen soon.
      if (!wait_ready(socket_.get(), POLLIN, end.min(Deadline::after(20ms)))) continue;
      mmsghdr messages[kBatch];
      iovec vectors[kBatch];
      sockaddr_storage peers[kBatch];
      for (unsigned i = 0; i < kBatch; ++i) {
        vectors[i] = {buffer.data() + i * kSlot, kSlot};
        messages[i] = {};
        messages[i].msg_hdr.msg_name = &peers[i];
        messages[i].msg_hdr.msg_namelen = sizeof peers[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
      }
      const int n = ::recvmmsg(socket_.get(), messages, kBatch, MSG_DONTWAIT, nullptr);
      if (n <= 0) continue;
      if (mode_ == kGsoBursts) echo_in_bursts(messages, vectors, static_cast<unsigned>(n));
      if (mode_ == kMergePairs) echo_merged(messages, vectors, static_cast<unsigned>(n));
    }
  }

  static bool same_peer(const msghdr& a, const msghdr& b) {
    return a.msg_namelen == b.msg_namelen &&
           std::memcmp(a.msg_name, b.msg_name, a.msg_namelen) == 0;
  }

  void echo_in_bursts(mmsghdr* messages, iovec* vectors, unsigned n) {
    for (unsigned i = 0; i < n;) {
      // A run of datagrams from one peer, all of one size, within GSO's limits.
      const std::size_t size = messages[i].msg_len;
      unsigned end = i + 1;
      while (end < n && same_peer(messages[end].msg_hdr, messages[i].msg_hdr) &&
             messages[end].msg_len == size && (end - i + 1) * size <= 65507) {
        ++end;
      }
      for (unsigned k = i; k < end; ++k) vectors[k].iov_len = messages[k].msg_len;
      alignas(cmsghdr) unsigned char control[kUdpSegmentSpace] = {};
      msghdr reply{};
      reply.msg_name = messages[i].msg_hdr.msg_name;
      reply.msg_namelen = messages[i].msg_hdr.msg_namelen;
      reply.msg_iov = &vectors[i];
      reply.msg_iovlen = end - i;
      if (end - i > 1) {
        reply.msg_control = control;
        reply.msg_controllen = write_udp_segment(static_cast<std::uint16_t>(size), control);
      }
      if (::sendmsg(socket_.get(), &reply, MSG_NOSIGNAL) >= 0 && end - i > 1) ++bursts_;
      for (unsigned k = i; k < end; ++k) vectors[k].iov_len = kSlot;
      i = end;
    }
  }

  void echo_merged(mmsghdr* messages, const iovec* vectors, unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
      const msghdr& from = messages[i].msg_hdr;
      const auto* data = static_cast<const std::byte*>(vectors[i].iov_base);
      if (!probed_) {
        probed_ = true;
        (void)::sendto(socket_.get(), data, messages[i].msg_len, MSG_NOSIGNAL,
                       static_cast<const sockaddr*>(from.msg_name), from.msg_namelen);
        continue;
      }
      if (held_.empty() || held_peer_len_ != from.msg_namelen ||
          std::memcmp(&held_peer_, from.msg_name, from.msg_namelen) != 0) {
        held_.assign(data, data + messages[i].msg_len);
        std::memcpy(&held_peer_, from.msg_name, from.msg_namelen);
        held_peer_len_ = from.msg_namelen;
        continue;
      }
      held_.insert(held_.end(), data, data + messages[i].msg_len);
      (void)::sendto(socket_.get(), held_.data(), held_.size(), MSG_NOSIGNAL,
                     reinterpret_cast<const sockaddr*>(&held_peer_), held_peer_len_);
      held_.clear();
    }
  }

  Mode mode_;
  Fd socket_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> bursts_{0};
  bool probed_ = false;          // kMergePairs: the first datagram was echoed as it came
  std::vector<std::byte> held_;  // kMergePairs: a datagram waiting for its partner
  sockaddr_storage held_peer_{};
  socklen_t held_peer_len_ = 0;
  std::thread thread_;
};

TEST(EchoBench, UdpServerEchoingGsoBurstsIsVerifiedDatagramByDatagram) {
  UdpTestServer server(UdpTestServer::kGsoBursts);
  // A generous --udp-timeout so that a descheduled server thread is not counted as loss.
  BenchRun run = run_bench(
      {server.target(), "--udp", "-c", "2", "-p", "8", "-s", "100", "--udp-timeout", "5000"});
  expect_every_datagram_echoed(run);
  EXPECT_GT(server.bursts(), 0u) << "the server never echoed a GSO burst";
  // UDP_GRO is asked for on every socket: the bursts arrive whole.
  EXPECT_GT(run.json["udp"]["gro_bursts"].get<double>(), 0) << run.output;
  EXPECT_EQ(run.json["udp"]["gso_sends"], 0);
}

TEST(EchoBench, GsoRunAgainstAGsoServerIsVerified) {
  UdpTestServer server(UdpTestServer::kGsoBursts);
  BenchRun run = run_bench({server.target(), "--udp", "--gso", "-c", "2", "-p", "8", "-s", "100",
                            "--udp-timeout", "5000"});
  expect_every_datagram_echoed(run);
  expect_gso_sends(run);
  EXPECT_GT(server.bursts(), 0u) << "the server never echoed a GSO burst";
  EXPECT_GT(run.json["udp"]["gro_bursts"].get<double>(), 0) << run.output;
}

TEST(EchoBench, UdpServerMergingTwoRecordsExitsOne) {
  for (const bool gso : {false, true}) {
    SCOPED_TRACE(gso ? "--gso" : "sendmmsg");
    UdpTestServer server(UdpTestServer::kMergePairs);
    std::vector<std::string> args = {server.target(), "--udp", "-c", "1", "-p", "2"};
    if (gso) args.push_back("--gso");
    BenchRun run = run_bench(args);
    EXPECT_EQ(run.exit_code, 1) << run.output;
    ASSERT_TRUE(run.json.is_object()) << run.output;
    EXPECT_EQ(run.json["errors"]["verification"], 1) << run.output;
    EXPECT_NE(run.json["errors"]["first"].get<std::string>().find("a 128-byte datagram"),
              std::string::npos)
        << run.json["errors"]["first"];
  }
}

TEST(EchoBench, NobodyListeningExitsTwo) {
  auto listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener);
  const std::string target = "127.0.0.1:" + std::to_string(local_endpoint(listener->get())->port());
  listener->reset();  // the port is now closed: connecting is refused
  BenchRun run = run_bench({target});
  EXPECT_EQ(run.exit_code, 2) << run.output;
}

TEST(EchoBench, UsageErrorExitsTwo) {
  EXPECT_EQ(run_bench({"127.0.0.1:7", "--size", "10"}).exit_code, 2);
  EXPECT_EQ(run_bench({"127.0.0.1:7", "--bogus"}).exit_code, 2);
}

TEST(EchoBench, ListenerThatNeverEchoesExitsOne) {
  auto listener = tcp_listen(Endpoint::loopback_v4(0));  // connections queue, never accepted
  ASSERT_TRUE(listener);
  const std::string target = "127.0.0.1:" + std::to_string(local_endpoint(listener->get())->port());
  BenchRun run = run_bench({target});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("no echo was verified"), std::string::npos) << run.output;
}

TEST(EchoBench, ReportInAMissingFolderFailsBeforeRunning) {
  const auto started = std::chrono::steady_clock::now();
  auto bench = ChildProcess::spawn(sibling_program("echo-bench"),
                                   {"127.0.0.1:7", "--quiet", "--duration", "60", "--json",
                                    testing::TempDir() + "no-such-folder/x.json"});
  ASSERT_TRUE(bench) << bench.error().message;
  (void)bench->read_all(Deadline::after(30s));  // the message is on stderr (see EchoBenchOptions)
  auto status = bench->wait(Deadline::after(30s));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 2);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

// The report's UDP batching figures, from given counts.
struct ReportOf {
  std::string text;
  nlohmann::json json;
};

ReportOf report_of(bool gso, const bench::UdpCounts& udp) {
  bench::BenchOptions options;
  options.target = Endpoint::loopback_v4(7);
  options.udp = true;
  options.gso = gso;
  options.connections = 2;
  bench::RunResult result;
  result.totals.udp = udp;
  result.measured_s = 1;
  std::ostringstream text;
  bench::print_report(text, options, result);
  return {text.str(), nlohmann::json::parse(bench::report_json(options, result))};
}

bench::UdpCounts udp_counts(std::uint64_t gso_sends, std::uint64_t gso_fallbacks,
                            std::uint64_t gro_bursts) {
  bench::UdpCounts udp;
  udp.sent = udp.echoed = 1000;
  udp.gso_sends = gso_sends;
  udp.gso_fallbacks = gso_fallbacks;
  udp.gro_bursts = gro_bursts;
  return udp;
}

TEST(EchoBenchReport, GsoSendsAndGroBurstsAreCounted) {
  const ReportOf r = report_of(true, udp_counts(125, 0, 3));
  EXPECT_NE(r.text.find("\n          GSO: 125 sends; GRO: 3 bursts received\n"), std::string::npos)
      << r.text;
  EXPECT_EQ(r.text.find("refused"), std::string::npos) << r.text;
  EXPECT_EQ(r.json["gso"], true);
  EXPECT_EQ(r.json["udp"]["gso_sends"], 125);
  EXPECT_EQ(r.json["udp"]["gso_fallbacks"], 0);
  EXPECT_EQ(r.json["udp"]["gro_bursts"], 3);
}

// Every socket fell back: the report must not claim GSO sends.
TEST(EchoBenchReport, GsoRefusedEverywhereIsReportedAsAFallback) {
  const ReportOf r = report_of(true, udp_counts(0, 2, 0));
  EXPECT_NE(r.text.find("GSO refused by the kernel: fell back to sendmmsg; GRO: 0 bursts received"),
            std::string::npos)
      << r.text;
  EXPECT_EQ(r.text.find("GSO sends"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("GSO: "), std::string::npos) << r.text;
  EXPECT_EQ(r.json["gso"], true);  // the option, as given
  EXPECT_EQ(r.json["udp"]["gso_sends"], 0);
  EXPECT_EQ(r.json["udp"]["gso_fallbacks"], 2);
}

TEST(EchoBenchReport, GsoRefusedAfterItWorkedIsReported) {
  const ReportOf r = report_of(true, udp_counts(40, 1, 0));
  EXPECT_NE(r.text.find("GSO: 40 sends (then refused on 1 socket: fell back to sendmmsg)"),
            std::string::npos)
      << r.text;
}

TEST(EchoBenchReport, GsoNeverNeededIsNotCalledRefused) {
  const ReportOf r = report_of(true, udp_counts(0, 0, 0));  // e.g. --pipeline 1
  EXPECT_NE(r.text.find("GSO: 0 sends (never two datagrams to send at once)"), std::string::npos)
      << r.text;
  EXPECT_EQ(r.text.find("refused"), std::string::npos) << r.text;
}

TEST(EchoBenchReport, WithoutGsoOnlyGroIsReported) {
  const ReportOf r = report_of(false, udp_counts(0, 0, 1));
  EXPECT_NE(r.text.find("\n          GRO: 1 burst received\n"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("GSO"), std::string::npos) << r.text;
  EXPECT_EQ(r.json["gso"], false);
  EXPECT_EQ(r.json["udp"]["gso_sends"], 0);
  EXPECT_EQ(r.json["udp"]["gro_bursts"], 1);
}

struct ParsedBench {
  std::variant<bench::BenchOptions, int> result;
  std::string err;
};

ParsedBench parse_bench(std::vector<const char*> args) {
  args.insert(args.begin(), {"echo-bench", "127.0.0.1:7"});
  std::ostringstream out;
  std::ostringstream err;
  auto result = bench::parse_bench_options(static_cast<int>(args.size()), args.data(), out, err);
  return {std::move(result), err.str()};
}

// A usage error (2) whose single line contains `expected`.
void expect_bench_usage_error(std::vector<const char*> args, const std::string& expected) {
  ParsedBench parsed = parse_bench(args);
  ASSERT_TRUE(std::holds_alternative<int>(parsed.result)) << args[0] << ' ' << args[1];
  EXPECT_EQ(std::get<int>(parsed.result), bench::kExitUsage);
  EXPECT_NE(parsed.err.find(expected), std::string::npos) << parsed.err;
  EXPECT_EQ(parsed.err.find('\n'), parsed.err.size() - 1) << parsed.err;
}

TEST(EchoBenchOptions, DurationAndWarmupMustBeFiniteAndBounded) {
  for (const char* value : {"nan", "inf", "1e10", "86401", "0", "-1"}) {
    SCOPED_TRACE(value);
    expect_bench_usage_error({"-d", value}, "--duration must be more than 0 and at most 86400");
  }
  for (const char* value : {"nan", "inf", "3601", "-1"}) {
    SCOPED_TRACE(value);
    expect_bench_usage_error({"-w", value}, "--warmup must be 0-3600 seconds");
  }
}

TEST(EchoBenchOptions, RateIsZeroOrFiniteAndBounded) {
  for (const char* value : {"nan", "inf", "1e-300", "0.0001", "1e10", "-5"}) {
    SCOPED_TRACE(value);
    expect_bench_usage_error({"-r", value}, "--rate must be 0 (closed loop) or 0.001-1000000000");
  }
}

TEST(EchoBenchOptions, NegativeSizeIsRefusedNotWrapped) {
  expect_bench_usage_error({"-s", "-1"}, "--size must be at least 28");
  expect_bench_usage_error({"-s", "1.5"}, "--size");
}

TEST(EchoBenchOptions, ReportFoldersMustExist) {
  expect_bench_usage_error({"--json", "/nonexistent/x.json"},
                           "--json /nonexistent/x.json: folder /nonexistent does not exist");
  expect_bench_usage_error({"--svg", "/nonexistent/x.svg"}, "folder /nonexistent does not exist");
}

TEST(EchoBenchOptions, GsoNeedsUdp) {
  expect_bench_usage_error({"--gso"}, "--gso needs --udp");
  ParsedBench parsed = parse_bench({"--gso", "--udp"});
  ASSERT_TRUE(std::holds_alternative<bench::BenchOptions>(parsed.result)) << parsed.err;
  EXPECT_TRUE(std::get<bench::BenchOptions>(parsed.result).gso);
  parsed = parse_bench({"--udp"});
  ASSERT_TRUE(std::holds_alternative<bench::BenchOptions>(parsed.result)) << parsed.err;
  EXPECT_FALSE(std::get<bench::BenchOptions>(parsed.result).gso);
}

TEST(EchoBenchOptions, HelpDescribesGso) {
  std::vector<const char*> args = {"echo-bench", "--help"};
  std::ostringstream out, err;
  auto result = bench::parse_bench_options(static_cast<int>(args.size()), args.data(), out, err);
  ASSERT_TRUE(std::holds_alternative<int>(result));
  EXPECT_EQ(std::get<int>(result), bench::kExitOk);
  EXPECT_NE(out.str().find("--gso"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("UDP_SEGMENT"), std::string::npos) << out.str();
}

TEST(EchoBenchOptions, ValuesInRangeAreAccepted) {
  const std::string json = testing::TempDir() + "x.json";
  ParsedBench parsed = parse_bench({"-d", "86400", "-w", "0", "-r", "0.001", "-s", "28", "--json",
                                    json.c_str(), "--svg", "relative.svg"});
  ASSERT_TRUE(std::holds_alternative<bench::BenchOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<bench::BenchOptions>(parsed.result);
  EXPECT_EQ(options.duration_s, 86400);
  EXPECT_EQ(options.warmup_s, 0);
  EXPECT_EQ(options.rate, 0.001);
  EXPECT_EQ(options.size, 28u);
  for (std::vector<const char*> args :
       {std::vector<const char*>{"-d", "0.5", "-w", "3600"}, {"-r", "1e9"}, {"-s", "16777216"}}) {
    parsed = parse_bench(args);
    EXPECT_TRUE(std::holds_alternative<bench::BenchOptions>(parsed.result)) << parsed.err;
  }
}

}  // namespace
}  // namespace echo
