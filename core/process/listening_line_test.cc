#include "core/process/listening_line.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

namespace echo {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Result<ChildProcess> shell(const std::string& script, bool pipe_stderr = false) {
  return ChildProcess::spawn("/bin/sh", {"-c", script}, SpawnOptions{.pipe_stderr = pipe_stderr});
}

TEST(ListeningLine, FormatsTransportAndEndpoint) {
  EXPECT_EQ(format_listening_line(Transport::kTcp, Endpoint::loopback_v4(41234)),
            "listening tcp 127.0.0.1:41234");
  EXPECT_EQ(format_listening_line(Transport::kUdp, Endpoint::loopback_v6(7)),
            "listening udp [::1]:7");
}

TEST(ListeningLine, ParsesWhatItFormats) {
  for (const Endpoint& endpoint : {Endpoint::loopback_v4(41234), Endpoint::loopback_v6(7007),
                                   Endpoint::loopback_v4(65535), Endpoint::loopback_v6(1)}) {
    for (Transport transport : {Transport::kTcp, Transport::kUdp}) {
      const std::string line = format_listening_line(transport, endpoint);
      std::optional<ListeningLine> parsed = parse_listening_line(line);
      ASSERT_TRUE(parsed.has_value()) << line;
      EXPECT_EQ(parsed->transport, transport) << line;
      EXPECT_EQ(parsed->endpoint, endpoint) << line;
    }
  }
}

TEST(ListeningLine, ParsesIpv6AndToleratesACarriageReturn) {
  std::optional<ListeningLine> v6 = parse_listening_line("listening udp [2001:db8::7]:9\r");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->transport, Transport::kUdp);
  EXPECT_EQ(v6->endpoint.family(), AF_INET6);
  EXPECT_EQ(v6->endpoint.to_string(), "[2001:db8::7]:9");
}

TEST(ListeningLine, RefusesOtherLines) {
  for (const char* line :
       {"", "ready", "listening", "listening ", "listening tcp", "listening tcp ",
        "Listening tcp 127.0.0.1:9", "listening TCP 127.0.0.1:9", " listening tcp 127.0.0.1:9",
        "listening  tcp 127.0.0.1:9", "listening sctp 127.0.0.1:9", "listening tcp 127.0.0.1",
        "listening tcp 127.0.0.1:0", "listening tcp 127.0.0.1:65536",
        "listening tcp 127.0.0.1:9 extra", "listening tcp 127.0.0.1:9\n"}) {
    EXPECT_FALSE(parse_listening_line(line).has_value()) << "'" << line << "'";
  }
}

TEST(ListeningLine, RefusesNonNumericAddresses) {
  for (const char* line :
       {"listening tcp localhost:9", "listening udp example.com:7", "listening tcp 127.0.0:9",
        "listening tcp 127.0.0.256:9", "listening tcp ::1:9", "listening tcp [::1:9",
        "listening tcp [localhost]:9", "listening tcp 0x7f.0.0.1:9", "listening tcp *:9"}) {
    EXPECT_FALSE(parse_listening_line(line).has_value()) << "'" << line << "'";
  }
}

TEST(WaitForListening, ReadsTheLinesOfAServer) {
  Result<ChildProcess> child = shell(
      "echo 'listening tcp 127.0.0.1:41234'; echo 'listening udp 127.0.0.1:41234'; "
      "exec sleep 10");
  ASSERT_TRUE(child) << child.error().message;

  Result<Listening> listening = wait_for_listening(*child, Deadline::after(10s));

  ASSERT_TRUE(listening) << listening.error().message;
  ASSERT_EQ(listening->tcp.size(), 1u);
  ASSERT_EQ(listening->udp.size(), 1u);
  EXPECT_EQ(listening->tcp[0], Endpoint::loopback_v4(41234));
  EXPECT_EQ(listening->udp[0], Endpoint::loopback_v4(41234));
  EXPECT_TRUE(child->running());
}

TEST(WaitForListening, SkipsOtherLinesAndLeavesLaterOnesUnread) {
  Result<ChildProcess> child = shell(
      "echo starting; echo 'listening udp [::1]:7'; echo 'listening tcp 127.0.0.1:bad'; "
      "echo 'listening tcp [::1]:7'; echo 'listening tcp 127.0.0.1:8'; "
      "echo 'listening udp 127.0.0.1:8'; echo after");
  ASSERT_TRUE(child) << child.error().message;

  Result<Listening> listening =
      wait_for_listening(*child, Deadline::after(10s), ListeningWanted{.tcp = 2, .udp = 2});

  ASSERT_TRUE(listening) << listening.error().message;
  EXPECT_EQ(listening->tcp,
            (std::vector<Endpoint>{Endpoint::loopback_v6(7), Endpoint::loopback_v4(8)}));
  EXPECT_EQ(listening->udp,
            (std::vector<Endpoint>{Endpoint::loopback_v6(7), Endpoint::loopback_v4(8)}));
  Result<std::string> next = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(*next, "after");
}

TEST(WaitForListening, TcpOnlyNeedsNoUdpLine) {
  Result<ChildProcess> child = shell("echo 'listening tcp 127.0.0.1:9'; exec sleep 10");
  ASSERT_TRUE(child) << child.error().message;

  Result<Listening> listening =
      wait_for_listening(*child, Deadline::after(10s), ListeningWanted{.tcp = 1, .udp = 0});

  ASSERT_TRUE(listening) << listening.error().message;
  EXPECT_EQ(listening->tcp.at(0).port(), 9);
  EXPECT_TRUE(listening->udp.empty());
}

TEST(WaitForListening, ASilentChildFailsAtTheDeadline) {
  Result<ChildProcess> child = ChildProcess::spawn("sleep", {"10"});
  ASSERT_TRUE(child) << child.error().message;
  const auto start = Clock::now();

  Result<Listening> listening = wait_for_listening(*child, Deadline::after(300ms));

  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(listening);
  EXPECT_EQ(listening.error().code, std::errc::timed_out);
  const std::string& message = listening.error().message;
  EXPECT_TRUE(contains(message, "sleep (pid "));
  // The wait says how long it had left when it began: at most the 300 ms it
  // was given, less whatever a loaded machine took before the wait began.
  std::smatch waited;
  ASSERT_TRUE(std::regex_search(
      message, waited,
      std::regex("did not announce a tcp and a udp listening line within ([0-9]+) ms")))
      << message;
  EXPECT_GT(std::stoi(waited[1]), 0) << message;
  EXPECT_LE(std::stoi(waited[1]), 300) << message;
  EXPECT_TRUE(contains(message, "it is still running")) << message;
  EXPECT_TRUE(contains(message, "it printed nothing")) << message;
  EXPECT_GE(elapsed, 295ms);
  EXPECT_LT(elapsed, 5s);
}

TEST(WaitForListening, AChildPrintingOtherLinesWithoutEndFailsAtTheDeadline) {
  Result<ChildProcess> child = ChildProcess::spawn("yes", {"noise"});
  ASSERT_TRUE(child) << child.error().message;
  const auto start = Clock::now();

  Result<Listening> listening = wait_for_listening(*child, Deadline::after(300ms));

  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(listening);
  EXPECT_EQ(listening.error().code, std::errc::timed_out);
  EXPECT_TRUE(contains(listening.error().message, "other lines, the last: 'noise' | 'noise'"))
      << listening.error().message;
  EXPECT_LT(elapsed, 5s);
}

// Lines already read come back from read_line() whatever its deadline; the
// wait still stops at the first other line read after the deadline.
TEST(WaitForListening, OtherLinesAlreadyReadDoNotOutlastTheDeadline) {
  Result<ChildProcess> child = shell("seq 1000; exec sleep 10");  // one write of 3893 bytes
  ASSERT_TRUE(child) << child.error().message;
  Result<std::string> first = child->read_line(Deadline::after(10s));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(*first, "1");

  Result<Listening> listening = wait_for_listening(*child, Deadline::after(0ms));

  ASSERT_FALSE(listening);
  EXPECT_EQ(listening.error().code, std::errc::timed_out);
  EXPECT_TRUE(contains(listening.error().message, "it printed 1 other line: '2'"))
      << listening.error().message;
}

// (Both lines arrive in one write, so the first wait reads both.)
TEST(WaitForListening, LinesAlreadyReadAreTakenEvenPastTheDeadline) {
  Result<ChildProcess> child =
      shell("printf 'listening tcp 127.0.0.1:7\\nlistening udp 127.0.0.1:7\\n'; exec sleep 10");
  ASSERT_TRUE(child) << child.error().message;
  Result<Listening> listening =
      wait_for_listening(*child, Deadline::after(10s), ListeningWanted{.tcp = 1, .udp = 0});
  ASSERT_TRUE(listening) << listening.error().message;

  Result<Listening> rest =
      wait_for_listening(*child, Deadline::after(0ms), ListeningWanted{.tcp = 0, .udp = 1});

  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->udp.at(0), Endpoint::loopback_v4(7));
}

TEST(WaitForListening, AChildThatExitsEarlyFailsWithItsStatusAndWords) {
  Result<ChildProcess> child = shell(
      "echo 'listening tcp 127.0.0.1:9'; echo 'starting up'; "
      "echo 'cannot bind 127.0.0.1:9 for UDP' >&2; exit 3",
      /*pipe_stderr=*/true);
  ASSERT_TRUE(child) << child.error().message;

  Result<Listening> listening = wait_for_listening(*child, Deadline::after(10s));

  ASSERT_FALSE(listening);
  EXPECT_EQ(listening.error().code, std::errc::broken_pipe);
  const std::string& message = listening.error().message;
  EXPECT_TRUE(contains(message, "ended its output without announcing a udp listening line"))
      << message;
  EXPECT_TRUE(contains(message, "it exited with status 3")) << message;
  EXPECT_TRUE(contains(message, "it printed 1 other line: 'starting up'")) << message;
  EXPECT_TRUE(contains(message, "its standard error ends: 'cannot bind 127.0.0.1:9 for UDP'"))
      << message;
  EXPECT_FALSE(child->running());  // reaped for its status
}

TEST(WaitForListening, CountsTheLinesStillMissing) {
  Result<ChildProcess> child = shell("echo 'listening tcp 127.0.0.1:9'; exit 0");
  ASSERT_TRUE(child) << child.error().message;

  Result<Listening> listening =
      wait_for_listening(*child, Deadline::after(10s), ListeningWanted{.tcp = 3, .udp = 2});

  ASSERT_FALSE(listening);
  EXPECT_TRUE(contains(listening.error().message,
                       "without announcing 2 more tcp and 2 udp listening lines"))
      << listening.error().message;
  EXPECT_TRUE(contains(listening.error().message, "it printed no other line"))
      << listening.error().message;
}

}  // namespace
}  // namespace echo
