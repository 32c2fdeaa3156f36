#include "conformance/explore/shrink.h"

#include <gtest/gtest.h>

#include "conformance/explore/generate.h"
#include "conformance/explore/script_text.h"
#include "conformance/explore/testing/fake_server.h"
#include "conformance/explore/verdict.h"
#include "conformance/oracle/random.h"

namespace echo::conformance::explore {
namespace {

using testing::FakeServer;

CandidateTest fails_with(const FakeServer& server, const std::string& finding) {
  return [server, finding](const std::vector<Script>& candidates) {
    std::vector<bool> fails;
    for (const Script& c : candidates)
      fails.push_back(judge(c, simulate(c, server)).shows(finding));
    return fails;
  };
}

// The first generated script (of seeds 1, 2, ...) that fails on `server` with `finding`.
Script first_failing(const FakeServer& server, const std::string& finding,
                     GeneratorOptions options = {}) {
  for (std::uint64_t i = 1; i < 20000; ++i) {
    Script s = generate_script(derive_seed(2026, i), options);
    if (judge(s, simulate(s, server)).finding() == finding) return s;
  }
  ADD_FAILURE() << "no generated script shows " << finding;
  return {};
}

ShrinkResult shrunk(const FakeServer& server, const std::string& finding,
                    GeneratorOptions options = {}) {
  const Script failing = first_failing(server, finding, options);
  ShrinkResult r = shrink(failing, fails_with(server, finding), {});
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(validate(r.script).ok());
  EXPECT_TRUE(judge(r.script, simulate(r.script, server)).shows(finding)) << print_script(r.script);
  return r;
}

TEST(Shrink, NulCutComesBackAsOneShortWriteHoldingANul) {
  const ShrinkResult r = shrunk(testing::nul_cut_server(), "nul-cut");
  const Script& s = r.script;
  ASSERT_EQ(s.steps.size(), 2u) << print_script(s);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kConnect);
  ASSERT_EQ(s.steps[1].kind, Step::Kind::kSend);
  const Bytes bytes = s.steps[1].payload.bytes();
  // One byte before the NUL: an echo that stops right before it (a NUL alone
  // would echo nothing at all, which reads as no echo, not as a NUL cut).
  ASSERT_EQ(bytes.size(), 2u) << print_script(s);
  EXPECT_NE(bytes[0], std::byte{0});
  EXPECT_EQ(bytes[1], std::byte{0});
}

TEST(Shrink, CrLfComesBackAsOneNewline) {
  const ShrinkResult r = shrunk(testing::crlf_server(), "newline-to-crlf");
  EXPECT_EQ(print_script(r.script), "connect c1\nsend c1 \"\\n\"\n");
}

TEST(Shrink, CutAt64KiBComesBackAsOneWriteOfOneByteMore) {
  const ShrinkResult r = shrunk(testing::cut_64k_server(), "stream-cut");
  const Script& s = r.script;
  ASSERT_EQ(s.steps.size(), 2u) << print_script(s);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kConnect);
  EXPECT_EQ(s.steps[1].kind, Step::Kind::kSend);
  EXPECT_EQ(s.steps[1].payload.size(), 65537u);
}

TEST(Shrink, HalfCloseTailLossComesBackAsOneByteThenShutdown) {
  const ShrinkResult r = shrunk(testing::drop_tail_server(), "half-close-tail-lost");
  const Script& s = r.script;
  ASSERT_EQ(s.steps.size(), 3u) << print_script(s);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kConnect);
  EXPECT_EQ(s.steps[1].kind, Step::Kind::kSend);
  EXPECT_EQ(s.steps[1].payload.size(), 1u);
  EXPECT_EQ(s.steps[2].kind, Step::Kind::kShutdown);
}

TEST(Shrink, TruncatedDatagramComesBackAsOneDatagramOneByteTooLong) {
  const ShrinkResult r = shrunk(testing::udp_truncate_server(), "udp-truncated", {false, true});
  const Script& s = r.script;
  ASSERT_EQ(s.steps.size(), 2u) << print_script(s);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kSocket);
  EXPECT_EQ(s.steps[1].kind, Step::Kind::kSend);
  EXPECT_EQ(s.steps[1].payload.size(), 1025u);
}

// A server with two flaws: shrinking a nul-cut failure must keep showing
// nul-cut, even where dropping the NUL would still fail (as CR LF).
TEST(Shrink, KeepsTheSameFindingAndNeverDrifts) {
  FakeServer both{[](const testing::FakeConnection& c) {
                    testing::FakeConnection cut = c;
                    for (Bytes& read : cut.reads) {
                      read.erase(std::find(read.begin(), read.end(), std::byte{0}), read.end());
                    }
                    return testing::crlf_server().tcp(cut);
                  },
                  {}};
  Script s;
  s.steps = {Step::connect(0), Step::send(0, Payload::text(std::string("abcd\0ef\ngh", 10)))};
  ASSERT_EQ(judge(s, simulate(s, both)).finding(), "nul-cut");
  const ShrinkResult r = shrink(s, fails_with(both, "nul-cut"), {});
  EXPECT_EQ(judge(r.script, simulate(r.script, both)).finding(), "nul-cut")
      << print_script(r.script);
  EXPECT_EQ(r.script.steps.back().payload.size(), 2u) << print_script(r.script);
}

TEST(Shrink, IsDeterministicWhateverTheBatch) {
  const FakeServer server = testing::nul_cut_server();
  const Script failing = first_failing(server, "nul-cut");
  const ShrinkResult one = shrink(failing, fails_with(server, "nul-cut"), {.batch = 1});
  const ShrinkResult eight = shrink(failing, fails_with(server, "nul-cut"), {.batch = 8});
  EXPECT_EQ(one.script, eight.script);
  EXPECT_EQ(shrink(failing, fails_with(server, "nul-cut"), {}).script, eight.script);
}

TEST(Shrink, StopsAtItsBudget) {
  const FakeServer server = testing::cut_64k_server();
  const Script failing = first_failing(server, "stream-cut");
  std::size_t seen = 0;
  const CandidateTest counting = [&](const std::vector<Script>& candidates) {
    seen += candidates.size();
    return fails_with(server, "stream-cut")(candidates);
  };
  const ShrinkResult r = shrink(failing, counting, {.max_runs = 5, .batch = 2});
  EXPECT_EQ(r.runs, seen);
  EXPECT_LE(r.runs, 5u);
  EXPECT_FALSE(r.complete);
  EXPECT_TRUE(judge(r.script, simulate(r.script, server)).shows("stream-cut"));
}

TEST(Shrink, ANonFailingTestLeavesTheScriptAsItWas) {
  const Script s = generate_script(3, {});
  const ShrinkResult r = shrink(
      s, [](const std::vector<Script>& c) { return std::vector<bool>(c.size(), false); }, {});
  EXPECT_EQ(r.script, tidy(s));
  EXPECT_EQ(r.accepted, 0u);
}

TEST(Tidy, WritesSmallRandomRunsOutAndJoinsStrings) {
  Script s;
  s.steps = {Step::connect(0),
             Step::send(0, Payload{{Piece::literal("a"), Piece::random(5, 3), Piece::literal("b"),
                                    Piece::literal("c", 4), Piece::random(5, 100)}})};
  const Script t = tidy(s);
  ASSERT_EQ(t.steps[1].payload.pieces.size(), 3u);
  EXPECT_EQ(t.steps[1].payload.pieces[0].kind, Piece::Kind::kText);
  EXPECT_EQ(t.steps[1].payload.pieces[0].text.size(), 5u);
  EXPECT_EQ(t.steps[1].payload.bytes(), s.steps[1].payload.bytes());
}

}  // namespace
}  // namespace echo::conformance::explore
