#include "conformance/explore/script.h"

#include <gtest/gtest.h>

#include "conformance/oracle/payload.h"

namespace echo::conformance::explore {
namespace {

using namespace std::chrono_literals;

std::string text_of(const Bytes& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

TEST(Payload, PiecesConcatenateAndRepeat) {
  Payload p{{Piece::literal("ab", 3), Piece::literal("\n")}};
  EXPECT_EQ(p.size(), 7u);
  EXPECT_EQ(text_of(p.bytes()), "ababab\n");
  Bytes middle(4);
  p.fill(1, middle);
  EXPECT_EQ(text_of(middle), "baba");
}

TEST(Payload, FillsRepeatsFromAnyOffset) {
  for (const std::string unit : {"a", "ab", "abc", "abcdefg"}) {
    const Payload p{{Piece::literal("<"), Piece::literal(unit, 37), Piece::literal(">")}};
    std::string naive = "<";
    for (int i = 0; i < 37; ++i) naive += unit;
    naive += ">";
    ASSERT_EQ(p.size(), naive.size());
    for (std::size_t offset = 0; offset < naive.size(); ++offset) {
      for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{9},
                            naive.size() - offset}) {
        if (offset + n > naive.size()) continue;
        Bytes got(n);
        p.fill(offset, got);
        EXPECT_EQ(text_of(got), naive.substr(offset, n)) << unit << " at " << offset << " n " << n;
      }
    }
  }
}

TEST(Payload, RandomPiecesAreTheSeededStreamFromTheirOffset) {
  const Payload p{{Piece::random(7, 100, 4000)}};
  const Bytes expected = [] {
    Bytes all = PayloadStream(7, 0).prefix(4100);
    return Bytes(all.begin() + 4000, all.end());
  }();
  EXPECT_EQ(p.bytes(), expected);
  Bytes tail(10);
  p.fill(90, tail);
  EXPECT_EQ(tail, Bytes(expected.begin() + 90, expected.end()));
}

TEST(Payload, HugeRepeatsHaveASizeWithoutMemory) {
  const Payload p{{Piece::literal(std::string(1, '\0'), 64ull << 20)}};
  EXPECT_EQ(p.size(), 64ull << 20);
  Bytes last(3);
  p.fill((64ull << 20) - 3, last);
  EXPECT_EQ(last, Bytes(3, std::byte{0}));
}

Script two_channels() {
  Script s;
  s.steps = {Step::connect(0),
             Step::socket(1),
             Step::send(0, Payload::text("a")),
             Step::send(1, Payload::text("")),
             Step::shutdown(0),
             Step::burst(1, 3, Payload::text("xy"))};
  return s;
}

TEST(Script, CountsChannelsAndBytes) {
  const Script s = two_channels();
  EXPECT_TRUE(validate(s).ok()) << validate(s).error().message;
  EXPECT_EQ(s.channel_count(), 2u);
  EXPECT_EQ(s.bytes(), 1u + 0u + 6u);
  EXPECT_EQ(channel_names(s), (std::vector<std::string>{"c1", "u1"}));
}

struct Invalid {
  const char* what;
  std::vector<Step> steps;
  const char* message;
};

TEST(Script, ValidateNamesTheStepAndTheRule) {
  const std::vector<Invalid> cases = {
      {"use before open",
       {Step::send(0, Payload::text("a"))},
       "step 1 (send #0): the channel is not open yet"},
      {"opened twice",
       {Step::connect(0), Step::connect(0)},
       "step 2 (connect c1): the channel is already open"},
      {"send after shutdown",
       {Step::connect(0), Step::shutdown(0), Step::send(0, Payload::text("a"))},
       "step 3 (send c1): nothing can be sent after shutdown"},
      {"step after close",
       {Step::connect(0), Step::close(0), Step::shutdown(0)},
       "step 3 (shutdown c1): the channel was already closed or reset"},
      {"burst on TCP",
       {Step::connect(0), Step::burst(0, 2, Payload::text("a"))},
       "step 2 (burst c1): only UDP sockets take bursts"},
      {"hold on UDP",
       {Step::socket(0), Step::hold(0, 5ms)},
       "step 2 (hold u1): only TCP connections"},
      {"datagram too big",
       {Step::socket(0), Step::send(0, Payload{{Piece::literal("a", 65508)}})},
       "step 2 (send u1): a datagram holds at most 65507 bytes, not 65508"},
      {"pause too long", {Step::pause(201ms)}, "step 1 (pause): a duration is 1-200 ms"},
      {"empty burst",
       {Step::socket(0), Step::burst(0, 0, Payload::text("a"))},
       "a burst sends 1-256"},
      {"too many bytes",
       {Step::connect(0), Step::send(0, Payload{{Piece::random(1, 40 << 20)}}),
        Step::send(0, Payload{{Piece::random(1, 40 << 20)}})},
       "step 3 (send c1): the script sends more than 67108864 bytes"},
  };
  for (const Invalid& c : cases) {
    Script s;
    s.steps = c.steps;
    const Status status = validate(s);
    ASSERT_FALSE(status.ok()) << c.what;
    EXPECT_NE(status.error().message.find(c.message), std::string::npos)
        << c.what << ": " << status.error().message;
  }
}

TEST(Script, CanonicalRenumbersByFirstUse) {
  Script s;
  s.steps = {Step::socket(7), Step::connect(3), Step::send(3, Payload::text("a")),
             Step::pause(1ms)};
  const Script c = canonical(s);
  EXPECT_EQ(c.steps[0].channel, 0u);
  EXPECT_EQ(c.steps[1].channel, 1u);
  EXPECT_EQ(c.steps[2].channel, 1u);
  EXPECT_EQ(canonical(c), c);
}

TEST(Script, WithoutChannelDropsEveryStepOfIt) {
  const Script s = without_channel(two_channels(), 0);
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::kSocket);
  EXPECT_EQ(s.steps[0].channel, 0u);
  EXPECT_TRUE(validate(s).ok());
}

}  // namespace
}  // namespace echo::conformance::explore
