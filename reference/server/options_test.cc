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

// A usage error whose single line contains `expected`.
void expect_usage_error(std::vector<const char*> args, const std::string& expected) {
  Parsed parsed = parse(args);
  ASSERT_TRUE(std::holds_alternative<ExitCode>(parsed.result)) << args[0] << ' ' << args[1];
  EXPECT_EQ(std::get<ExitCode>(parsed.result), kExitUsage);
  EXPECT_NE(parsed.err.find(expected), std::string::npos) << parsed.err;
  EXPECT_EQ(parsed.err.find('\n'), parsed.err.size() - 1) << parsed.err;
  EXPECT_LT(parsed.err.size(), 120u) << parsed.err;
}

TEST(EchoServerOptions, TimeoutsMustBeFiniteSecondsUpToADay) {
  for (const char* option : {"--idle-timeout", "--drain-timeout"}) {
    for (const char* value : {"nan", "inf", "-inf", "1e10", "1e300", "1e400", "-1", "86400.5"}) {
      SCOPED_TRACE(std::string(option) + " " + value);
      expect_usage_error({option, value},
                         std::string(option) + " " + value + " is out of range 0-86400 seconds");
    }
    expect_usage_error({option, "soon"}, "is not a number");
    expect_usage_error({option, "1s"}, "is not a number");
  }
  expect_usage_error({"--idle-timeout", "1e10"},
                     "echo-server: --idle-timeout 1e10 is out of range 0-86400 seconds\n");
}

TEST(EchoServerOptions, TimeoutsFromZeroToADayAreAccepted) {
  Parsed parsed = parse({"--idle-timeout", "86400", "--drain-timeout", "0"});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<ServerOptions>(parsed.result);
  EXPECT_EQ(options.idle_timeout, std::chrono::hours(24));
  EXPECT_EQ(options.drain_timeout, std::chrono::milliseconds(0));
  parsed = parse({"--idle-timeout", "0.0001", "--drain-timeout", "1e3"});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  EXPECT_EQ(std::get<ServerOptions>(parsed.result).idle_timeout, std::chrono::milliseconds(1));
  EXPECT_EQ(std::get<ServerOptions>(parsed.result).drain_timeout, std::chrono::seconds(1000));
}

TEST(EchoServerOptions, MaxConnectionsIsAWholeNumberUpToAMillion) {
  for (const char* value : {"-1", "1000001", "18446744073709551615", "99999999999999999999"}) {
    SCOPED_TRACE(value);
    expect_usage_error({"--max-connections", value},
                       std::string("--max-connections ") + value + " is out of range 0-1000000");
  }
  for (const char* value : {"nan", "inf", "1.5", "1e3", "lots"}) {
    SCOPED_TRACE(value);
    expect_usage_error({"--max-connections", value}, "is not a whole number");
  }
  for (std::size_t limit : {0u, 1u, 1'000'000u}) {
    const std::string text = std::to_string(limit);
    Parsed parsed = parse({"--max-connections", text.c_str()});
    ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
    EXPECT_EQ(std::get<ServerOptions>(parsed.result).max_connections, limit);
  }
}

TEST(EchoServerOptions, TheAbuseLimitsDefaultToTheGuardOnAndRateLimitsOffThisHost) {
  Parsed parsed = parse({});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<ServerOptions>(parsed.result);
  EXPECT_TRUE(options.udp_loop_guard);
  EXPECT_TRUE(options.udp_allowed_source_ports.empty());
  EXPECT_EQ(options.udp_rate_limit, kDefaultUdpRateLimit);
  EXPECT_EQ(options.udp_burst, kDefaultUdpBurst);
  EXPECT_FALSE(options.udp_rate_limit_loopback);
  EXPECT_EQ(options.max_connections_per_address, 0u);
}

TEST(EchoServerOptions, ReadsTheAbuseLimits) {
  Parsed parsed = parse({"--no-udp-loop-guard", "--udp-allow-source-port", "7",
                         "--udp-allow-source-port", "65535", "--udp-rate-limit", "0", "--udp-burst",
                         "1", "--max-connections-per-address", "64"});
  ASSERT_TRUE(std::holds_alternative<ServerOptions>(parsed.result)) << parsed.err;
  const auto& options = std::get<ServerOptions>(parsed.result);
  EXPECT_FALSE(options.udp_loop_guard);
  EXPECT_EQ(options.udp_allowed_source_ports, (std::vector<std::uint16_t>{7, 65535}));
  EXPECT_EQ(options.udp_rate_limit, 0.0);
  EXPECT_TRUE(options.udp_rate_limit_loopback) << "given, the limit applies to loopback too";
  EXPECT_EQ(options.udp_burst, 1u);
  EXPECT_EQ(options.max_connections_per_address, 64u);
}

TEST(EchoServerOptions, BadAbuseLimitsAreUsageErrorsOnOneLine) {
  expect_usage_error({"--udp-allow-source-port", "0"},
                     "echo-server: --udp-allow-source-port 0 is out of range 1-65535\n");
  expect_usage_error({"--udp-allow-source-port", "65536"}, "is out of range 1-65535");
  expect_usage_error({"--udp-allow-source-port", "echo"}, "is not a whole number");
  expect_usage_error({"--udp-rate-limit", "-1"}, "is out of range 0-1000000000");
  expect_usage_error({"--udp-rate-limit", "1e3"}, "is not a whole number");
  expect_usage_error({"--udp-burst", "0"}, "--udp-burst 0 is out of range 1-1000000000");
  expect_usage_error({"--max-connections-per-address", "1000001"},
                     "--max-connections-per-address 1000001 is out of range 0-1000000");
  expect_usage_error({"--max-connections-per-address", "x"}, "is not a whole number");
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
