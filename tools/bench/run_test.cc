// echo-bench end to end: against the yardstick server (TCP and UDP) it must
// verify echoes and exit 0; against a server that flips one byte it must exit
// 1; against a port nobody listens on, 2. Everything on 127.0.0.1, port 0.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/process/child_process.h"
#include "tools/bench/options.h"

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
    auto line = server_->read_line(Deadline::after(10s));
    ASSERT_TRUE(line) << line.error().message;
    const std::string prefix = "listening tcp ";
    ASSERT_EQ(line->rfind(prefix, 0), 0u) << *line;
    target_ = line->substr(prefix.size());
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

TEST_F(YardstickServer, OpenLoopRunKeepsTheRate) {
  BenchRun run = run_bench({target_, "--connections", "2", "--rate", "2000"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  const double rate = run.json["messages"]["per_second"].get<double>();
  EXPECT_GT(rate, 1500) << run.output;  // 2000 scheduled; a loose bound on a busy machine
  EXPECT_LT(rate, 2500) << run.output;
}

TEST_F(YardstickServer, UdpRunCountsEveryDatagram) {
  BenchRun run = run_bench({target_, "--udp", "--connections", "2", "--pipeline", "8"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(run.json.is_object()) << run.output;
  EXPECT_GT(run.json["messages"]["received"].get<double>(), 0) << run.output;
  EXPECT_EQ(run.json["udp"]["duplicated"], 0);
  EXPECT_GT(run.json["udp"]["echoed"].get<double>(), 0);
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
