#include "conformance/explore/script_text.h"

#include <gtest/gtest.h>

#include "conformance/explore/generate.h"
#include "conformance/oracle/random.h"

namespace echo::conformance::explore {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kExample =
    "# a comment line\n"
    "connect c1\n"
    "send c1 \"GET / HTTP/1.0\\r\\n\" \"\\x00\" x 3 random(42, 1000)\n"
    "\n"
    "pause 20ms   # a trailing comment\n"
    "hold c1 100ms\n"
    "trickle c1 64 100ms\n"
    "shutdown c1\n"
    "connect c2\n"
    "reset c2\n"
    "socket u1\n"
    "send u1 \"\"\n"
    "burst u1 10 \"ping\" random(1, 5, 77)\n"
    "connect c3\n"
    "close c3\n";

TEST(ScriptText, ParsesEveryStep) {
  Result<Script> parsed = parse_script(kExample);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Script& s = *parsed;
  ASSERT_EQ(s.steps.size(), 13u);
  EXPECT_EQ(s.steps[0], Step::connect(0));
  const Payload payload{{Piece::literal("GET / HTTP/1.0\r\n"),
                         Piece::literal(std::string(1, '\0'), 3), Piece::random(42, 1000)}};
  EXPECT_EQ(s.steps[1], Step::send(0, payload));
  EXPECT_EQ(s.steps[2], Step::pause(20ms));
  EXPECT_EQ(s.steps[3], Step::hold(0, 100ms));
  EXPECT_EQ(s.steps[4], Step::trickle(0, 64, 100ms));
  EXPECT_EQ(s.steps[5], Step::shutdown(0));
  EXPECT_EQ(s.steps[7], Step::reset(1));
  EXPECT_EQ(s.steps[8], Step::socket(2));
  EXPECT_EQ(s.steps[9], Step::send(2, Payload{}));
  EXPECT_EQ(s.steps[10],
            Step::burst(2, 10, Payload{{Piece::literal("ping"), Piece::random(1, 5, 77)}}));
  EXPECT_EQ(s.steps[12], Step::close(3));
}

TEST(ScriptText, PrintsTheCanonicalText) {
  const Script s = *parse_script(kExample);
  EXPECT_EQ(print_script(s),
            "connect c1\n"
            "send c1 \"GET / HTTP/1.0\\r\\n\" \"\\x00\" x 3 random(42, 1000)\n"
            "pause 20ms\n"
            "hold c1 100ms\n"
            "trickle c1 64 100ms\n"
            "shutdown c1\n"
            "connect c2\n"
            "reset c2\n"
            "socket u1\n"
            "send u1 \"\"\n"
            "burst u1 10 \"ping\" random(1, 5, 77)\n"
            "connect c3\n"
            "close c3\n");
}

TEST(ScriptText, EscapesEveryByteThatIsNotPrintable) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  Script s;
  s.steps = {Step::connect(0), Step::send(0, Payload::text(all))};
  const std::string text = print_script(s);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (u >= 0x20 && u < 0x7F)) << "raw byte " << int(u);
  }
  EXPECT_NE(text.find("\\x00\\x01"), std::string::npos);
  EXPECT_NE(text.find("\\t\\n\\x0b\\x0c\\r"), std::string::npos);
  EXPECT_NE(text.find(" !\\\"#"), std::string::npos);
  EXPECT_NE(text.find("[\\\\]"), std::string::npos);
  EXPECT_NE(text.find("~\\x7f\\x80"), std::string::npos);
  Result<Script> back = parse_script(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(ScriptText, RoundTripsGeneratedScripts) {
  for (std::uint64_t i = 0; i < 300; ++i) {
    const Script s = generate_script(derive_seed(99, i), {});
    const std::string text = print_script(s);
    Result<Script> back = parse_script(text);
    ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
    EXPECT_EQ(*back, s) << text;
  }
}

TEST(ScriptText, ChannelNamesFollowTheOrderOfOpening) {
  Result<Script> s = parse_script("connect c7\nsocket u3\nconnect c2\nsend c2 \"a\"\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(print_script(*s), "connect c1\nsocket u1\nconnect c2\nsend c2 \"a\"\n");
}

TEST(ScriptText, AcceptsCrLfLinesAndEmptyStringsAsNothing) {
  Result<Script> s = parse_script("connect c1\r\nsend c1 \"\" \"a\" \"\"\r\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->steps[1].payload, Payload::text("a"));
}

struct Bad {
  std::string text;
  std::string message;
};

TEST(ScriptText, ParseErrorsNameLineAndColumn) {
  const std::vector<Bad> cases = {
      {"conect c1\n",
       "line 1, column 1: expected a step (connect, socket, send, burst, pause, "
       "hold, trickle, shutdown, close, reset), found 'conect'"},
      {"connect c1\nsend x1 \"a\"\n",
       "line 2, column 6: expected a channel name such as c1 (TCP) or u1 (UDP), found 'x1'"},
      {"connect c0\n", "line 1, column 9: expected a channel name"},
      {"connect u1\n", "line 1, column 9: u-channels are UDP sockets, opened with socket"},
      {"socket c1\n", "line 1, column 8: c-channels are TCP connections, opened with connect"},
      {"connect c1\nsend c1 abc\n",
       "line 2, column 9: expected a payload: a quoted string or random(SEED, LENGTH), found "
       "'abc'"},
      {"connect c1\nsend c1\n", "line 2, column 8: expected a payload"},
      {"connect c1\nsend c1 \"abc\n", "line 2, column 13: the string has no closing quote"},
      {"connect c1\nsend c1 \"a\\qb\"\n", "line 2, column 11: unknown escape"},
      {"connect c1\nsend c1 \"a\\x4\"\n", "line 2, column 11: \\x takes two hex digits"},
      {"connect c1\nsend c1 \"a\tb\"\n", "line 2, column 11: write byte 0x09 as \\x09"},
      {"connect c1\nsend c1 \"a\" x 0\n", "line 2, column 15: a repeat count is at least 1"},
      {"connect c1\nsend c1 \"a\" x\n",
       "line 2, column 14: expected a repeat count, found the end"},
      {"connect c1\nsend c1 \"a\" y\n", "line 2, column 13: expected a payload"},
      {"connect c1\nsend c1 random(1 2)\n",
       "line 2, column 18: expected ',' between seed and length"},
      {"connect c1\nsend c1 random(1, 0)\n",
       "line 2, column 9: random() needs a length of at least 1"},
      {"connect c1\nsend c1 random(1, 99999999999999999999)\n",
       "line 2, column 19: a length is too large"},
      {"pause 20\n", "line 1, column 9: durations end in ms"},
      {"pause 201ms\n", "line 1, column 12: a duration is at most 200ms"},
      {"pause 0ms\n", "line 1, column 1: step 1 (pause): a duration is 1-200 ms"},
      {"connect c1 extra\n", "line 1, column 12: expected the end of the line, found 'extra'"},
      {"connect c1\nshutdown c1\nsend c1 \"a\"\n",
       "line 3, column 1: step 3 (send c1): nothing can be sent after shutdown"},
      {"send c1 \"a\"\n", "line 1, column 1: step 1 (send #0): the channel is not open yet"},
      {"socket u1\nburst u1 300 \"a\"\n", "line 2, column 13: a burst sends at most 256 datagrams"},
      {std::string("connect c1\0\n", 12), "line 1, column 11: a NUL byte"},
  };
  for (const Bad& c : cases) {
    Result<Script> s = parse_script(c.text);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.error().message.substr(0, c.message.size()), c.message) << c.text;
  }
}

}  // namespace
}  // namespace echo::conformance::explore
