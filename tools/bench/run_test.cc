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
#include <string>
#include <thread>
#include <vector>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/process/child_process.h"

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

}  // namespace
}  // namespace echo
