// echo-client --stream, run as a program: standard input is written from a
// thread while its standard output is read, as a shell pipeline would.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "reference/client/client_run.h"
#include "reference/client/testing/test_servers.h"

namespace echo::client::testing {
namespace {

std::string random_bytes(std::size_t size) {
  std::mt19937_64 random(862);
  std::string data(size, '\0');
  for (char& c : data) c = static_cast<char>(random() & 0xFF);
  return data;
}

TEST(StreamMode, ThirtyTwoMebibytesComeBackIdentical) {
  Result<ReferenceServer> server = start_reference_server();
  ASSERT_TRUE(server.ok()) << server.error().message;
  std::string input = random_bytes(std::size_t{32} << 20);
  ClientRun run = run_client({"--stream", "127.0.0.1", std::to_string(server->tcp_port)}, input);
  EXPECT_EQ(run.problem, "");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.size(), input.size());
  EXPECT_TRUE(run.out == input);
}

TEST(StreamMode, EmptyInputIsAnEmptyEcho) {
  TcpTestServer server({});
  ClientRun run = run_client({"--stream", "127.0.0.1", std::to_string(server.port())}, "");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(StreamMode, CorruptedByteIsAMismatchNamingItsOffset) {
  TcpTestServer server({.behaviour = TcpBehaviour::kCorruptByte, .offset = 1000000});
  ClientRun run = run_client({"--stream", "127.0.0.1", std::to_string(server.port())},
                             random_bytes(std::size_t{4} << 20));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("offset 1000000"), std::string::npos) << run.err;
  EXPECT_LE(run.out.size(), 1000000u);
}

TEST(StreamMode, EarlyCloseIsExitFive) {
  TcpTestServer server({.behaviour = TcpBehaviour::kCloseEarly, .offset = 100});
  ClientRun run =
      run_client({"--stream", "127.0.0.1", std::to_string(server.port())}, std::string(10000, 'a'));
  EXPECT_EQ(run.exit_code, 5) << run.err;
}

TEST(StreamMode, SilentServerIsExitFour) {
  TcpTestServer server({.behaviour = TcpBehaviour::kSilent});
  ClientRun run = run_client(
      {"--stream", "--timeout", "0.3", "127.0.0.1", std::to_string(server.port())}, "hello");
  EXPECT_EQ(run.exit_code, 4) << run.err;
}

}  // namespace
}  // namespace echo::client::testing
