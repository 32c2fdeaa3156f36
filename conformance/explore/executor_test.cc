#include "conformance/explore/executor.h"

#include <gtest/gtest.h>

#include <csignal>

#include "conformance/explore/generate.h"
#include "conformance/explore/script_text.h"
#include "conformance/explore/testing/live_server.h"
#include "conformance/explore/verdict.h"
#include "conformance/oracle/random.h"

namespace echo::conformance::explore {
namespace {

using namespace std::chrono_literals;

Script parsed(std::string_view text) {
  Result<Script> s = parse_script(text);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? *s : Script{};
}

// Short waits, but long enough for a thread-per-connection fixture on a busy
// machine: a stall is judged after a second without a byte.
ExecuteOptions quick(const Endpoint& target) {
  ExecuteOptions o;
  o.target = target;
  o.stall_wait = 1000ms;
  o.close_wait = 1000ms;
  o.datagram_wait = 200ms;
  o.deadline = 5s;
  return o;
}

TEST(Executor, TheReferenceServerPassesGeneratedScripts) {
  Result<testing::LiveServer> server = testing::start_reference_server();
  ASSERT_TRUE(server.ok()) << server.error().message;
  std::vector<Script> scripts;
  for (std::uint64_t i = 0; i < 300; ++i) scripts.push_back(generate_script(derive_seed(1, i), {}));
  const std::vector<ScriptRecord> records = run_scripts(scripts, quick(server->endpoint), 32);
  ASSERT_EQ(records.size(), scripts.size());
  ExecuteOptions paced = quick(server->endpoint);
  paced.pace_datagrams = true;
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    Verdict v = judge(scripts[i], records[i]);
    EXPECT_FALSE(v.connect_refused);
    // Loopback drops datagrams when socket buffers overflow under load: a
    // missing reply counts only if it is still missing with paced datagrams.
    if (v.failed() && rests_on_loss(v.finding()))
      v = judge(scripts[i], run_script(scripts[i], paced));
    EXPECT_FALSE(v.failed()) << v.finding() << ": " << v.failures[0].detail << "\n"
                             << print_script(scripts[i]);
  }
}

TEST(Executor, ACompleteEchoIsHalfClosedAndTheServersCloseSeen) {
  Result<testing::LiveServer> server = testing::start_reference_server();
  ASSERT_TRUE(server.ok()) << server.error().message;
  const ScriptRecord r =
      run_script(parsed("connect c1\nsend c1 \"hello\"\nsend c1 random(3, 300000)\n"),
                 quick(server->endpoint));
  ASSERT_EQ(r.streams.size(), 1u);
  EXPECT_EQ(r.streams[0].end, StreamEnd::kComplete);
  EXPECT_EQ(r.streams[0].after, AfterEcho::kFin);
  EXPECT_EQ(r.streams[0].sent, 300005u);
  EXPECT_EQ(r.streams[0].first_write, 5u);
  EXPECT_TRUE(r.streams[0].verifier.complete());
}

struct FixtureCase {
  const char* mode;
  const char* script;
  const char* finding;
};

TEST(Executor, FixturesShowTheirFlaw) {
  const std::vector<FixtureCase> cases = {
      {"nul-cut", "connect c1\nsend c1 \"a\\x00b\"\n", "nul-cut"},
      {"crlf", "connect c1\nsend c1 \"\\n\"\n", "newline-to-crlf"},
      {"cut-64k", "connect c1\nsend c1 \"x\" x 65537\n", "stream-cut"},
      {"drop-tail-after-fin", "connect c1\nsend c1 \"x\"\nshutdown c1\n", "half-close-tail-lost"},
      {"udp-truncate", "socket u1\nsend u1 \"y\" x 1025\n", "udp-truncated"},
      {"udp-duplicate", "socket u1\nsend u1 \"dup\"\npause 20ms\n", "udp-duplicate"},
      {"udp-wrong-source", "socket u1\nsend u1 \"w\"\n", "udp-wrong-source"},
      {"udp-silent", "socket u1\nsend u1 \"s\"\n", "udp-silent"},
      {"append-newline", "connect c1\nsend c1 \"abc\"\n", "extra-bytes"},
      {"reset", "connect c1\nsend c1 \"abc\"\n", "resets-connections"},
      {"read-never-answer", "connect c1\nsend c1 \"abc\"\n", "no-echo"},
      {"close-at-once", "connect c1\npause 20ms\nsend c1 \"abc\"\n", "closes-at-once"},
      {"flood", "connect c1\nsend c1 \"abc\"\n", "unsolicited-data"},
  };
  for (const FixtureCase& c : cases) {
    Result<testing::LiveServer> server = testing::start_fixture_server(c.mode);
    ASSERT_TRUE(server.ok()) << server.error().message;
    const Script script = parsed(c.script);
    const auto started = std::chrono::steady_clock::now();
    const Verdict v = judge(script, run_script(script, quick(server->endpoint)));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(v.finding(), c.finding)
        << c.mode << ": " << (v.failed() ? v.failures[0].detail : "no failure");
    EXPECT_LT(took, 3s) << c.mode;
  }
}

TEST(Executor, ACorrectServerThatIsSlowIsNotWrong) {
  Result<testing::LiveServer> server = testing::start_fixture_server("slow");
  ASSERT_TRUE(server.ok()) << server.error().message;
  ExecuteOptions o = quick(server->endpoint);
  o.stall_wait = 1000ms;
  const Script script = parsed("connect c1\nsend c1 \"abc\"\npause 50ms\nsend c1 \"def\"\n");
  const Verdict v = judge(script, run_script(script, o));
  EXPECT_FALSE(v.failed()) << v.finding();
}

TEST(Executor, ARefusedConnectIsRecorded) {
  Result<testing::LiveServer> server = testing::start_reference_server();
  ASSERT_TRUE(server.ok()) << server.error().message;
  const Endpoint gone = server->endpoint;
  ASSERT_TRUE(server->process.send_signal(SIGKILL).ok());
  (void)server->process.wait(Deadline::after(5s));
  const ScriptRecord r = run_script(parsed("connect c1\nsend c1 \"a\"\n"), quick(gone));
  EXPECT_TRUE(r.connect_refused());
  EXPECT_FALSE(judge(parsed("connect c1\nsend c1 \"a\"\n"), r).failed());
}

}  // namespace
}  // namespace echo::conformance::explore
