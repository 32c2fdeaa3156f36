#include "reference/client/config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/version/version.h"

namespace echo::client {
namespace {

ClientConfig parse_ok(const std::vector<std::string>& args) {
  Result<CommandLine> line = parse_command_line(args);
  EXPECT_TRUE(line.ok()) << (line ? "" : line.error().message);
  return line ? line->config : ClientConfig{};
}

std::string parse_error(const std::vector<std::string>& args) {
  Result<CommandLine> line = parse_command_line(args);
  EXPECT_FALSE(line.ok());
  return line ? "" : line.error().message;
}

TEST(ClientConfig, LectureFormTakesServerWordAndPort) {
  ClientConfig config = parse_ok({"127.0.0.1", "hello", "7007"});
  EXPECT_EQ(config.mode, Mode::kWord);
  EXPECT_EQ(config.transport, Transport::kTcp);
  EXPECT_EQ(config.server.host, "127.0.0.1");
  EXPECT_EQ(config.server.port, 7007);
  EXPECT_EQ(config.word, "hello");
}

TEST(ClientConfig, PortDefaultsToTheWellKnownEchoPort) {
  EXPECT_EQ(parse_ok({"127.0.0.1", "hello"}).server.port, 7);
}

TEST(ClientConfig, WordKeepsFormatDirectivesAndHighBytes) {
  std::string word = "%n%s%x";
  for (int b = 1; b < 256; ++b) word.push_back(static_cast<char>(b));
  EXPECT_EQ(parse_ok({"127.0.0.1", word, "7"}).word, word);
}

TEST(ClientConfig, EmptyWordIsAllowed) { EXPECT_EQ(parse_ok({"127.0.0.1", "", "9"}).word, ""); }

TEST(ClientConfig, PortOutOfRangeIsRefusedWithTheRange) {
  EXPECT_EQ(parse_error({"127.0.0.1", "hello", "70000"}), "port 70000 is out of range 1-65535");
  EXPECT_NE(parse_error({"127.0.0.1", "hello", "0"}).find("port 0"), std::string::npos);
  EXPECT_NE(parse_error({"127.0.0.1", "hello", "7x"}).find("7x"), std::string::npos);
}

TEST(ClientConfig, MissingWordIsRefused) {
  EXPECT_NE(parse_error({"127.0.0.1"}).find("echo word"), std::string::npos);
}

TEST(ClientConfig, MissingServerIsRefused) { EXPECT_FALSE(parse_error({}).empty()); }

TEST(ClientConfig, HostNamesAndIpv6LiteralsAreServers) {
  EXPECT_EQ(parse_ok({"localhost", "w"}).server.kind, HostKind::kName);
  ClientConfig v6 = parse_ok({"::1", "w", "7007"});
  EXPECT_EQ(v6.server.kind, HostKind::kIpv6);
  EXPECT_EQ(v6.server.host, "::1");
  EXPECT_EQ(v6.server.port, 7007);
}

TEST(ClientConfig, ServerMayNameItsPortOnce) {
  EXPECT_EQ(parse_ok({"[::1]:7007", "w"}).server.port, 7007);
  EXPECT_NE(parse_error({"127.0.0.1:7007", "w", "7008"}).find("only once"), std::string::npos);
}

TEST(ClientConfig, StreamModeTakesThePortSecond) {
  ClientConfig config = parse_ok({"--stream", "127.0.0.1", "7007"});
  EXPECT_EQ(config.mode, Mode::kStream);
  EXPECT_EQ(config.server.port, 7007);
  EXPECT_EQ(parse_ok({"--lines", "127.0.0.1"}).server.port, 7);
}

TEST(ClientConfig, StreamModeRefusesAWord) {
  EXPECT_NE(
      parse_error({"--stream", "127.0.0.1", "word", "7007"}).find("--stream takes no echo word"),
      std::string::npos);
}

TEST(ClientConfig, StreamOverUdpIsRefused) {
  EXPECT_NE(parse_error({"--stream", "--udp", "127.0.0.1"}).find("TCP only"), std::string::npos);
}

TEST(ClientConfig, ModesExcludeEachOther) {
  EXPECT_NE(parse_error({"--stream", "--lines", "127.0.0.1"}).find("excludes"), std::string::npos);
}

TEST(ClientConfig, TimeoutDefaultsToFiveSeconds) {
  EXPECT_DOUBLE_EQ(parse_ok({"127.0.0.1", "w"}).timeout.count(), 5.0);
  EXPECT_DOUBLE_EQ(parse_ok({"--timeout", "0.25", "127.0.0.1", "w"}).timeout.count(), 0.25);
}

TEST(ClientConfig, BadTimeoutsAreRefused) {
  EXPECT_NE(parse_error({"--timeout", "0", "127.0.0.1", "w"}).find("--timeout '0'"),
            std::string::npos);
  EXPECT_NE(parse_error({"--timeout", "abc", "127.0.0.1", "w"}).find("number of seconds"),
            std::string::npos);
  EXPECT_FALSE(parse_error({"--timeout", "nan", "127.0.0.1", "w"}).empty());
  EXPECT_FALSE(parse_error({"--timeout", "1e9", "127.0.0.1", "w"}).empty());
}

TEST(ClientConfig, PingTakesCountAndInterval) {
  ClientConfig config =
      parse_ok({"--ping", "--udp", "--count", "3", "--interval", "0.01", "127.0.0.1", "7007"});
  EXPECT_EQ(config.mode, Mode::kPing);
  EXPECT_EQ(config.transport, Transport::kUdp);
  EXPECT_EQ(config.count, 3);
  EXPECT_DOUBLE_EQ(config.interval.count(), 0.01);
  EXPECT_EQ(config.server.port, 7007);
}

TEST(ClientConfig, CountOutsidePingIsRefused) {
  EXPECT_NE(parse_error({"--count", "3", "127.0.0.1", "w"}).find("--ping"), std::string::npos);
  EXPECT_NE(parse_error({"--ping", "--count", "0", "127.0.0.1"}).find("--count '0'"),
            std::string::npos);
}

TEST(ClientConfig, UnknownOptionIsRefused) {
  EXPECT_FALSE(parse_error({"--frobnicate", "127.0.0.1", "w"}).empty());
}

TEST(ClientConfig, HelpListsEveryExitCode) {
  Result<CommandLine> line = parse_command_line({"--help"});
  ASSERT_TRUE(line.ok());
  EXPECT_TRUE(line->help);
  for (const char* text : {"Exit codes", "0  ok", "1  mismatch", "2  usage", "3  unreachable",
                           "4  timeout", "5  closed early", "6  local error", "--stream"}) {
    EXPECT_NE(line->help_text.find(text), std::string::npos) << text;
  }
}

TEST(ClientConfig, VersionIsPrintedLikeHelp) {
  Result<CommandLine> line = parse_command_line({"--version"});
  ASSERT_TRUE(line.ok());
  EXPECT_TRUE(line->help);
  EXPECT_EQ(line->help_text, version_line("echo-client") + "\n");
}

}  // namespace
}  // namespace echo::client
