// echo-client --lines and --length-prefixed, run as a program.
#include <gtest/gtest.h>

#include <string>

#include "reference/client/client_run.h"
#include "reference/client/testing/test_servers.h"

namespace echo::client::testing {
namespace {

TEST(LinesMode, EachLineEchoesInTurn) {
  TcpTestServer server({});
  std::string input = "one\n\ntwo %n\nlast without newline";
  ClientRun run = run_client({"--lines", "127.0.0.1", std::to_string(server.port())}, input);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, input);
}

TEST(LinesMode, OverUdpEachLineIsADatagram) {
  UdpTestServer server(UdpBehaviour::kEcho);
  ClientRun run =
      run_client({"--lines", "--udp", "127.0.0.1", std::to_string(server.port())}, "a\nbc\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "a\nbc\n");
}

TEST(LinesMode, CorruptionNamesTheLineAndStreamOffset) {
  TcpTestServer server({.behaviour = TcpBehaviour::kCorruptByte, .offset = 5});
  ClientRun run = run_client({"--lines", "127.0.0.1", std::to_string(server.port())}, "abc\ndef\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "abc\n");
  EXPECT_NE(run.err.find("line 2: echo differs at offset 5"), std::string::npos) << run.err;
}

TEST(LengthPrefixedMode, LinesTravelFramedAndPrintPlain) {
  TcpTestServer server({});
  ClientRun run = run_client({"--length-prefixed", "127.0.0.1", std::to_string(server.port())},
                             "hello\nworld\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello\nworld\n");
}

}  // namespace
}  // namespace echo::client::testing
