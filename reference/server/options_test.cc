#include "reference/server/options.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace echo::server {
namespace {

struct Parsed {
  std::variant<ServerOptions, ExitCode> result;
  std::string out;
  std::string err;
};

Parsed parse(std::vector<const char*> args) {
  args.insert(args.begin(), "echo-server");
  std::ostringstream out;
  std::ostringstream err;
  auto result = parse_options(static_cast<int>(args.size()), args.data(), out, err);
  return {std::move(result), out.str(), err.str()};
}

TEST(EchoServerOptions, DefaultsListenOnBothFamiliesOfPort7007WithEpoll) {
  Parsed parsed = parse({});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<ServerOptions>(parsed.result);
  ASSERT_EQ(options.listen.size(), 2u);
  EXPECT_EQ(options.listen[0].to_string(), "0.0.0.0:7007");
  EXPECT_EQ(options.listen[1].to_string(), "[::]:7007");
  EXPECT_TRUE(options.listen_is_default);
  EXPECT_TRUE(options.tcp && options.udp);
  EXPECT_EQ(options.model, Model::kEpoll);
  EXPECT_GE(options.threads, 1u);
  EXPECT_EQ(options.buffer_size, 64u * 1024u);
  EXPECT_EQ(options.drain_timeout, std::chrono::seconds(2));
}

TEST(EchoServerOptions, ListenIsRepeatableAndAcceptsPortZero) {
  Parsed parsed = parse({"--listen", "127.0.0.1:0", "--listen", "[::1]:7"});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<ServerOptions>(parsed.result);
  ASSERT_EQ(options.listen.size(), 2u);
  EXPECT_EQ(options.listen[0].to_string(), "127.0.0.1:0");
  EXPECT_EQ(options.listen[1].to_string(), "[::1]:7");
  EXPECT_FALSE(options.listen_is_default);
}

TEST(EchoServerOptions, ReadsModelLimitsAndTimeouts) {
  Parsed parsed = parse({"--model", "fork", "--tcp-only", "--threads", "3", "--buffer-size", "100",
                         "--max-connections", "5", "--idle-timeout", "0.25", "--drain-timeout", "1",
                         "--quiet"});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<ServerOptions>(parsed.result);
  EXPECT_EQ(options.model, Model::kFork);
  EXPECT_TRUE(options.tcp);
  EXPECT_FALSE(options.udp);
  EXPECT_EQ(options.threads, 3u);
  EXPECT_EQ(options.buffer_size, 100u);
  EXPECT_EQ(options.max_connections, 5u);
  EXPECT_EQ(options.idle_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(options.drain_timeout, std::chrono::seconds(1));
  EXPECT_TRUE(options.quiet);
}

TEST(EchoServerOptions, PortOutOfRangeIsAUsageErrorOnOneLine) {
  Parsed parsed = parse({"--listen", "127.0.0.1:70000"});
  ASSERT_TRUE(std::holds_alternative<ExitCode>(parsed.result));
  EXPECT_EQ(std::get<ExitCode>(parsed.result), kExitUsage);
  EXPECT_NE(parsed.err.find("70000"), std::string::npos) << parsed.err;
  EXPECT_NE(parsed.err.find("range"), std::string::npos) << parsed.err;
  EXPECT_EQ(parsed.err.find('\n'), parsed.err.size() - 1) << parsed.err;
}

TEST(EchoServerOptions, UnknownModelIsAUsageError) {
  Parsed parsed = parse({"--model", "nope"});
  ASSERT_TRUE(std::holds_alternative<ExitCode>(parsed.result));
  EXPECT_EQ(std::get<ExitCode>(parsed.result), kExitUsage);
  EXPECT_NE(parsed.err.find("--model"), std::string::npos) << parsed.err;
  EXPECT_EQ(parsed.err.find('\n'), parsed.err.size() - 1) << parsed.err;
}

TEST(EchoServerOptions, TcpOnlyAndUdpOnlyExcludeEachOther) {
  Parsed parsed = parse({"--tcp-only", "--udp-only"});
  ASSERT_TRUE(std::holds_alternative<ExitCode>(parsed.result));
  EXPECT_EQ(std::get<ExitCode>(parsed.result), kExitUsage);
}

TEST(EchoServerOptions, HelpListsTheExitCodes) {
  Parsed parsed = parse({"--help"});
  ASSERT_TRUE(std::holds_alternative<ExitCode>(parsed.result));
  EXPECT_EQ(std::get<ExitCode>(parsed.result), kExitClean);
  EXPECT_NE(parsed.out.find("Exit codes"), std::string::npos);
  EXPECT_NE(parsed.out.find("--listen"), std::string::npos);
}

}  // namespace
}  // namespace echo::server
