// echo-client --ping, run as a program.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "reference/client/client_run.h"
#include "reference/client/testing/test_servers.h"

namespace echo::client::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void expect_three_replies_and_summary(const ClientRun& run) {
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = lines_of(run.out);
  ASSERT_EQ(lines.size(), 5u) << run.out;
  for (int i = 0; i < 3; ++i) {
    std::regex reply("seq=" + std::to_string(i + 1) + R"( time=\d+\.\d{3} ms)");
    EXPECT_TRUE(std::regex_match(lines[i], reply)) << lines[i];
  }
  EXPECT_EQ(lines[3], "3 probes sent, 3 received, 0.0% loss");
  EXPECT_TRUE(std::regex_match(lines[4], std::regex(R"(rtt min/avg/max/p99 = [\d./]+ ms)")))
      << lines[4];
}

TEST(PingMode, TcpPrintsEachRoundTripAndASummary) {
  TcpTestServer server({});
  ClientRun run = run_client(
      {"--ping", "--count", "3", "--interval", "0.01", "127.0.0.1", std::to_string(server.port())});
  expect_three_replies_and_summary(run);
}

TEST(PingMode, UdpPrintsEachRoundTripAndASummary) {
  UdpTestServer server(UdpBehaviour::kEcho);
  ClientRun run = run_client({"--ping", "--udp", "--count", "3", "--interval", "0.01", "127.0.0.1",
                              std::to_string(server.port())});
  expect_three_replies_and_summary(run);
}

TEST(PingMode, WorksWithTheReferenceServerOverTcpAndUdp) {
  Result<ReferenceServer> server = start_reference_server();
  ASSERT_TRUE(server.ok()) << server.error().message;
  expect_three_replies_and_summary(run_client({"--ping", "--count", "3", "--interval", "0.01",
                                               "127.0.0.1", std::to_string(server->tcp_port)}));
  expect_three_replies_and_summary(
      run_client({"--ping", "--udp", "--count", "3", "--interval", "0.01", "127.0.0.1",
                  std::to_string(server->udp_port)}));
}

TEST(PingMode, UdpRepliesNeverReceivedAreLossThenTimeout) {
  UdpTestServer server(UdpBehaviour::kSilent);
  ClientRun run = run_client({"--ping", "--udp", "--count", "2", "--interval", "0.01", "--timeout",
                              "0.2", "127.0.0.1", std::to_string(server.port())});
  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_NE(run.out.find("2 probes sent, 0 received, 100.0% loss"), std::string::npos) << run.out;
}

TEST(PingMode, TcpCorruptedReplyIsAMismatch) {
  TcpTestServer server({.behaviour = TcpBehaviour::kCorruptByte, .offset = 30});
  ClientRun run = run_client(
      {"--ping", "--count", "2", "--interval", "0.01", "127.0.0.1", std::to_string(server.port())});
  EXPECT_EQ(run.exit_code, 1) << run.err;
}

}  // namespace
}  // namespace echo::client::testing
