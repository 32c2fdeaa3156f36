#include "conformance/explore/verdict.h"

#include <gtest/gtest.h>

#include "conformance/explore/generate.h"
#include "conformance/explore/script_text.h"
#include "conformance/explore/testing/fake_server.h"
#include "conformance/oracle/random.h"
#include "core/util/bytes.h"

namespace echo::conformance::explore {
namespace {

Script one_write(const std::string& bytes, bool shut_down = false) {
  Script s;
  s.steps = {Step::connect(0), Step::send(0, Payload::text(bytes))};
  if (shut_down) s.steps.push_back(Step::shutdown(0));
  return s;
}

// What judge() makes of connection c1 when `echoed` came back and the
// connection then ended with `end` (or was closed by the script).
Verdict judged(const std::string& sent, const std::string& echoed, StreamEnd end,
               bool client_closed = false) {
  const Script s = one_write(sent);
  ScriptRecord record;
  StreamRecord r = StreamRecord::start(0, expected_stream(std::make_shared<const Script>(s), 0));
  r.verifier.feed(echo::as_bytes(std::string_view(echoed)));
  r.sent = sent.size();
  r.end = end;
  r.client_closed = client_closed;
  record.streams.push_back(std::move(r));
  return judge(s, record);
}

TEST(Verdict, ACorrectServerNeverFails) {
  for (std::uint64_t i = 0; i < 400; ++i) {
    const Script s = generate_script(derive_seed(7, i), {});
    const Verdict v = judge(s, simulate(s, testing::correct_server()));
    EXPECT_FALSE(v.failed()) << v.finding() << "\n" << print_script(s);
  }
}

TEST(Verdict, TcpFailuresAreNamedWithTheFindingsVocabulary) {
  EXPECT_FALSE(judged("abc", "abc", StreamEnd::kComplete).failed());
  EXPECT_EQ(judged(std::string("ab\0cd", 5), "ab", StreamEnd::kStalled).finding(), "nul-cut");
  EXPECT_EQ(judged("abcdef", "abc", StreamEnd::kFin).finding(), "stream-cut");
  EXPECT_EQ(judged("abcdef", "abc", StreamEnd::kReset).finding(), "resets-connections");
  EXPECT_EQ(judged("abcdef", "", StreamEnd::kFin).finding(), "closes-at-once");
  EXPECT_EQ(judged("abcdef", "", StreamEnd::kStalled).finding(), "no-echo");
  EXPECT_EQ(judged("abc", "abc\n", StreamEnd::kComplete).finding(), "extra-bytes");
  const Verdict v = judged("\n", "\r\n", StreamEnd::kWrong);
  ASSERT_TRUE(v.failed());
  EXPECT_EQ(v.failures[0].channel, "c1");
  EXPECT_EQ(v.failures[0].finding, "newline-to-crlf");
  ASSERT_TRUE(v.failures[0].stream);
  EXPECT_EQ(*v.failures[0].stream->mismatch, 0u);
}

TEST(Verdict, SlowIsNotWrong) {
  EXPECT_FALSE(judged("abcdef", "abc", StreamEnd::kDeadline).failed());
}

TEST(Verdict, AConnectionTheScriptClosedNeedsOnlyACorrectPrefix) {
  EXPECT_FALSE(judged("abcdef", "abc", StreamEnd::kStalled, true).failed());
  EXPECT_TRUE(judged("abcdef", "abX", StreamEnd::kWrong, true).failed());
}

TEST(Verdict, ARefusedConnectIsTheServersAbsenceNotAFinding) {
  const Verdict v = [] {
    const Script s = one_write("a");
    ScriptRecord record;
    StreamRecord r = StreamRecord::start(0, expected_stream(std::make_shared<const Script>(s), 0));
    r.end = StreamEnd::kConnectFailed;
    r.connect_refused = true;
    record.streams.push_back(std::move(r));
    return judge(s, record);
  }();
  EXPECT_FALSE(v.failed());
  EXPECT_TRUE(v.connect_refused);
}

TEST(Verdict, ChannelsAreJudgedInOrderWithTheirNames) {
  Result<Script> s = parse_script("connect c1\nsocket u1\nconnect c2\nsend c1 \"ok\"\nsend u1 \"" +
                                  std::string(1100, 'x') + "\"\nsend c2 \"a\\nb\"\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  testing::FakeServer server = testing::crlf_server();
  server.udp = testing::udp_truncate_server().udp;
  const Verdict v = judge(*s, simulate(*s, server));
  ASSERT_EQ(v.failures.size(), 2u);
  EXPECT_EQ(v.failures[0].channel, "u1");
  EXPECT_EQ(v.failures[0].finding, "udp-truncated");
  EXPECT_TRUE(v.failures[0].datagrams);
  EXPECT_EQ(v.failures[1].channel, "c2");
  EXPECT_EQ(v.failures[1].finding, "newline-to-crlf");
  EXPECT_TRUE(v.shows("newline-to-crlf"));
  EXPECT_FALSE(v.shows("nul-cut"));
}

TEST(Verdict, OnlyMissingRepliesRestOnLoss) {
  EXPECT_TRUE(rests_on_loss("udp-silent"));
  EXPECT_TRUE(rests_on_loss("udp-empty-ignored"));
  EXPECT_FALSE(rests_on_loss("udp-truncated"));
  EXPECT_FALSE(rests_on_loss("nul-cut"));
}

}  // namespace
}  // namespace echo::conformance::explore
