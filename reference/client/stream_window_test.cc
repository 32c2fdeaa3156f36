#include "reference/client/stream_window.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/util/bytes.h"

namespace echo::client {
namespace {

void send_everything(StreamWindow& window) {
  while (!window.all_sent()) window.on_sent(window.unsent().size());
}

TEST(StreamWindow, MatchingEchoReleasesTheBytes) {
  StreamWindow window(16);
  window.take(as_bytes("hello"));
  send_everything(window);
  EXPECT_EQ(window.check_echo(as_bytes("hel")).verdict, EchoCheck::kMatch);
  EXPECT_EQ(window.check_echo(as_bytes("lo")).verdict, EchoCheck::kMatch);
  EXPECT_TRUE(window.all_echoed());
  EXPECT_EQ(window.held(), 0u);
}

TEST(StreamWindow, FirstMismatchOffsetCountsFromTheStreamStart) {
  StreamWindow window(64);
  window.take(as_bytes("abc"));
  window.take(as_bytes("def"));
  send_everything(window);
  EXPECT_EQ(window.check_echo(as_bytes("ab")).verdict, EchoCheck::kMatch);
  EchoCheck check = window.check_echo(as_bytes("cdXf"));
  EXPECT_EQ(check.verdict, EchoCheck::kDiffers);
  EXPECT_EQ(check.offset, 4u);
  EXPECT_EQ(check.sent, std::byte{'e'});
  EXPECT_EQ(check.received, std::byte{'X'});
  EXPECT_EQ(window.echoed(), 4u);
}

TEST(StreamWindow, MismatchFarIntoALongStreamNamesItsOffset) {
  StreamWindow window(1 << 16);
  std::string block(4096, 'z');
  std::uint64_t total = 0;
  for (int round = 0; round < 1000; ++round) {
    window.take(as_bytes(block));
    send_everything(window);
    std::string echo = block;
    if (round == 777) echo[123] = 'y';
    EchoCheck check = window.check_echo(as_bytes(echo));
    if (round < 777) {
      ASSERT_EQ(check.verdict, EchoCheck::kMatch);
      total += block.size();
      continue;
    }
    EXPECT_EQ(check.verdict, EchoCheck::kDiffers);
    EXPECT_EQ(check.offset, total + 123);
    break;
  }
}

TEST(StreamWindow, EchoOfBytesNotYetSentIsUnexpected) {
  StreamWindow window(16);
  window.take(as_bytes("abc"));
  window.on_sent(2);
  EchoCheck check = window.check_echo(as_bytes("abc"));
  EXPECT_EQ(check.verdict, EchoCheck::kUnexpected);
  EXPECT_EQ(check.offset, 2u);
  EXPECT_EQ(check.received, std::byte{'c'});
}

TEST(StreamWindow, PartialSendsWalkAcrossChunks) {
  StreamWindow window(16);
  window.take(as_bytes("ab"));
  window.take(as_bytes("cd"));
  window.on_sent(1);
  EXPECT_EQ(window.unsent().size(), 1u);
  window.on_sent(1);
  EXPECT_EQ(window.unsent().size(), 2u);
  EXPECT_EQ(window.check_echo(as_bytes("ab")).verdict, EchoCheck::kMatch);
  window.on_sent(2);
  EXPECT_EQ(window.check_echo(as_bytes("cd")).verdict, EchoCheck::kMatch);
  EXPECT_TRUE(window.all_echoed());
}

TEST(StreamWindow, FullWindowTakesNoMore) {
  StreamWindow window(4);
  window.take(as_bytes("abcdef"));
  EXPECT_TRUE(window.full());
  EXPECT_EQ(window.taken(), 4u);
  send_everything(window);
  EXPECT_EQ(window.check_echo(as_bytes("ab")).verdict, EchoCheck::kMatch);
  EXPECT_EQ(window.free_space(), 2u);
}

}  // namespace
}  // namespace echo::client
