#include "reference/server/guard/loop_detector.h"

#include <gtest/gtest.h>

#include <string>

#include "reference/server/guard/test_sources.h"

namespace echo::server {
namespace {

using namespace std::chrono_literals;
using testing::source;

constexpr std::chrono::nanoseconds kStart = 1000s;
constexpr std::uint64_t kSeed = 7;

std::uint32_t print_of(const std::string& text) {
  return LoopDetector::fingerprint(std::as_bytes(std::span(text)), kSeed);
}

// One server's view of a loop: answers `datagram` from `peer` as long as the
// detector lets it, every 20 us; how many answers it sent.
int answers_in_a_loop(LoopDetector& loops, const PeerKey& peer, std::uint32_t print, int rounds) {
  int answered = 0;
  std::chrono::nanoseconds now = kStart;
  for (int i = 0; i < rounds; ++i, now += 20us) {
    if (!loops.answer(peer, print, now)) break;
    ++answered;
  }
  return answered;
}

TEST(LoopDetector, StopsAReturningEchoAfterTheStreak) {
  LoopDetector loops({.window = 50ms, .streak = 3}, 64, kSeed);
  const PeerKey other_server = source("127.0.0.1", 40001).peer_key();
  // The spoofed datagram, then its returns: answered three times in all.
  EXPECT_EQ(answers_in_a_loop(loops, other_server, print_of("spoofed"), 1000), 3);
}

TEST(LoopDetector, AnswersAClientWhoseDatagramsDiffer) {
  LoopDetector loops({.window = 50ms, .streak = 3}, 64, kSeed);
  const PeerKey client = source("127.0.0.1", 40001).peer_key();
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t print = print_of("probe " + std::to_string(i));
    const auto now = kStart + std::chrono::microseconds(i * 20);
    ASSERT_TRUE(loops.answer(client, print, now)) << i;
  }
}

TEST(LoopDetector, ADifferentDatagramEndsTheStreak) {
  LoopDetector loops({.window = 50ms, .streak = 3}, 64, kSeed);
  const PeerKey client = source("127.0.0.1", 40001).peer_key();
  const std::uint32_t same = print_of("same");
  auto now = kStart;
  for (int i = 0; i < 30; ++i, now += 1ms) {
    // same, same, new, same, same, new, ...: never three returns in a row
    const std::uint32_t print = i % 3 == 2 ? print_of("new " + std::to_string(i)) : same;
    ASSERT_TRUE(loops.answer(client, print, now)) << i;
  }
}

TEST(LoopDetector, ARepeatAfterTheWindowIsNotAReturn) {
  LoopDetector loops({.window = 50ms, .streak = 2}, 64, kSeed);
  const PeerKey client = source("127.0.0.1", 40001).peer_key();
  const std::uint32_t ping = print_of("ping");
  auto now = kStart;
  for (int i = 0; i < 10; ++i, now += 100ms) {  // the same ping every 100 ms
    ASSERT_TRUE(loops.answer(client, ping, now)) << i;
  }
}

TEST(LoopDetector, IsPerPeer) {
  LoopDetector loops({.window = 50ms, .streak = 1}, 64, kSeed);
  const std::uint32_t print = print_of("x");
  EXPECT_TRUE(loops.answer(source("127.0.0.1", 40001).peer_key(), print, kStart));
  EXPECT_TRUE(loops.answer(source("127.0.0.1", 40002).peer_key(), print, kStart));
  EXPECT_TRUE(loops.answer(source("127.0.0.2", 40001).peer_key(), print, kStart));
  EXPECT_FALSE(loops.answer(source("127.0.0.1", 40001).peer_key(), print, kStart));
  EXPECT_FALSE(loops.answer(source("127.0.0.1", 40002).peer_key(), print, kStart));
}

TEST(LoopDetector, RecognisesSeveralDatagramsInFlight) {
  LoopDetector loops({.window = 50ms, .streak = 3}, 64, kSeed);
  const PeerKey other_server = source("127.0.0.1", 40001).peer_key();
  std::vector<std::uint32_t> prints;
  for (std::size_t i = 0; i < LoopDetector::kRemembered; ++i) {
    prints.push_back(print_of("spoofed " + std::to_string(i)));
  }
  int answered = 0;
  auto now = kStart;
  for (int round = 0; round < 100; ++round) {
    for (std::uint32_t print : prints) {
      now += 5us;
      if (loops.answer(other_server, print, now)) ++answered;
    }
  }
  EXPECT_LE(answered, static_cast<int>(prints.size()) + 3);
}

TEST(LoopDetector, KeepsTrackOfPeersInTurnDespiteRememberingTheLast) {
  // Datagrams from two peers alternate: the look-up memo must not mix them up.
  LoopDetector loops({.window = 50ms, .streak = 3}, 64, kSeed);
  const PeerKey a = source("127.0.0.1", 40001).peer_key();
  const PeerKey b = source("127.0.0.1", 40002).peer_key();
  int answered_a = 0, answered_b = 0;
  auto now = kStart;
  for (int i = 0; i < 100; ++i, now += 10us) {
    answered_a += loops.answer(a, print_of("loop"), now) ? 1 : 0;
    answered_b += loops.answer(b, print_of("client " + std::to_string(i)), now) ? 1 : 0;
  }
  EXPECT_EQ(answered_a, 3);
  EXPECT_EQ(answered_b, 100);
}

TEST(LoopDetector, ManyPeersFitInFixedMemoryAndTheMemoSurvivesEvictions) {
  LoopDetector loops({.window = 50ms, .streak = 3}, 64, kSeed);
  const PeerKey looping = source("127.0.0.1", 40001).peer_key();
  auto now = kStart;
  int answered = 0;
  for (int i = 0; i < 1000; ++i, now += 10us) {
    // 10,000 other peers pass between two returns: the table evicts, and the
    // loop's record may be among the evicted: then it starts again, still bounded.
    for (int k = 0; k < 10; ++k) {
      PeerKey other = source("10.0.0.1", 1000).peer_key();
      other.port = static_cast<std::uint16_t>(1000 + i * 10 + k);
      ASSERT_TRUE(loops.answer(other, print_of("x"), now));
    }
    answered += loops.answer(looping, print_of("loop"), now) ? 1 : 0;
  }
  EXPECT_LT(answered, 1000) << "the loop was never recognised";
}

TEST(LoopDetector, FingerprintsTellLengthAndEdgesApart) {
  const std::string a(1000, 'a');
  std::string head = a;
  head[0] = 'b';
  std::string tail = a;
  tail[999] = 'b';
  EXPECT_NE(print_of(a), print_of(head));
  EXPECT_NE(print_of(a), print_of(tail));
  EXPECT_NE(print_of(a), print_of(a + "a"));
  EXPECT_NE(print_of(""), print_of(std::string(1, '\0')));
  EXPECT_EQ(print_of(a), print_of(std::string(1000, 'a')));
}

}  // namespace
}  // namespace echo::server
