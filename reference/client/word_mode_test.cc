// echo-client in the lecture's form (<server> <word> [<port>]), run as a
// program against in-test servers on 127.0.0.1 port 0 and the reference server.
#include <gtest/gtest.h>

#include <string>

#include "reference/client/client_run.h"
#include "reference/client/testing/test_servers.h"

namespace echo::client::testing {
namespace {

std::string port_of(std::uint16_t port) { return std::to_string(port); }

TEST(WordMode, PrintsReceivedWordLikeTheLecture) {
  TcpTestServer server({});
  ClientRun run = run_client({"127.0.0.1", "hello", port_of(server.port())});
  EXPECT_EQ(run.problem, "");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Received: hello\n");
  EXPECT_EQ(run.err, "");
}

TEST(WordMode, FormatDirectivesEchoVerbatim) {
  TcpTestServer server({});
  ClientRun run = run_client({"127.0.0.1", "%n%s%x%p", port_of(server.port())});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Received: %n%s%x%p\n");
}

TEST(WordMode, EveryNonZeroByteEchoesVerbatim) {
  TcpTestServer server({});
  std::string word;
  for (int b = 1; b < 256; ++b) word.push_back(static_cast<char>(b));
  ClientRun run = run_client({"127.0.0.1", word, port_of(server.port())});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Received: " + word + "\n");
}

TEST(WordMode, WorksWithTheReferenceServerOverTcpAndUdp) {
  Result<ReferenceServer> server = start_reference_server();
  ASSERT_TRUE(server.ok()) << server.error().message;
  ClientRun tcp = run_client({"127.0.0.1", "hello", port_of(server->tcp_port)});
  EXPECT_EQ(tcp.exit_code, 0) << tcp.err;
  EXPECT_EQ(tcp.out, "Received: hello\n");
  ClientRun udp = run_client({"--udp", "127.0.0.1", "hello", port_of(server->udp_port)});
  EXPECT_EQ(udp.exit_code, 0) << udp.err;
  EXPECT_EQ(udp.out, "Received: hello\n");
}

TEST(WordMode, HostNameTriesEachAddress) {
  TcpTestServer server({});  // IPv4 only: "localhost" may resolve to ::1 first
  ClientRun run = run_client({"localhost", "hello", port_of(server.port())});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Received: hello\n");
}

TEST(WordMode, CorruptedEchoIsAMismatchNamingTheOffset) {
  TcpTestServer server({.behaviour = TcpBehaviour::kCorruptByte, .offset = 3});
  ClientRun run = run_client({"127.0.0.1", "hello", port_of(server.port())});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "echo-client: echo differs at offset 3: sent 0x6c, received 0x93\n");
}

TEST(WordMode, EarlyCloseIsExitFive) {
  TcpTestServer server({.behaviour = TcpBehaviour::kCloseEarly, .offset = 2});
  ClientRun run = run_client({"127.0.0.1", "hello", port_of(server.port())});
  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_NE(run.err.find("echo-client: "), std::string::npos);
}

TEST(WordMode, RefusedConnectionIsExitThree) {
  ClientRun run = run_client({"127.0.0.1", "hello", port_of(closed_tcp_port())});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("refused"), std::string::npos) << run.err;
}

TEST(WordMode, SilentServerIsExitFourWithinTheTimeout) {
  TcpTestServer server({.behaviour = TcpBehaviour::kSilent});
  auto start = std::chrono::steady_clock::now();
  ClientRun run = run_client({"--timeout", "0.3", "127.0.0.1", "hello", port_of(server.port())});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

TEST(WordMode, UsageErrorsAreExitTwoWithOneLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"127.0.0.1", "hello", "70000"},
        {"127.0.0.1", "hello", "0"},
        {"127.0.0.1"},
        {"--timeout", "soon", "127.0.0.1", "hello"},
        {"--bogus", "127.0.0.1", "hello"}}) {
    ClientRun run = run_client(args);
    EXPECT_EQ(run.exit_code, 2) << args.front();
    EXPECT_TRUE(run.err.starts_with("echo-client: ")) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  EXPECT_EQ(run_client({"127.0.0.1", "hello", "70000"}).err,
            "echo-client: port 70000 is out of range 1-65535\n");
}

TEST(WordMode, HelpIsExitZeroAndListsExitCodes) {
  ClientRun run = run_client({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("5  closed early"), std::string::npos);
}

TEST(WordMode, UdpWordEchoes) {
  UdpTestServer server(UdpBehaviour::kEcho);
  ClientRun run = run_client({"--udp", "127.0.0.1", "hello", port_of(server.port())});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Received: hello\n");
}

TEST(WordMode, UdpWithoutAnswerIsExitFour) {
  UdpTestServer server(UdpBehaviour::kSilent);
  ClientRun run =
      run_client({"--udp", "--timeout", "0.2", "127.0.0.1", "hello", port_of(server.port())});
  EXPECT_EQ(run.exit_code, 4) << run.err;
}

}  // namespace
}  // namespace echo::client::testing
