#include "core/session/echo_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace echo {
namespace {

std::size_t feed(EchoSession& session, std::string_view text) {
  std::span<std::byte> space = session.receive_space();
  std::size_t n = std::min(space.size(), text.size());
  std::memcpy(space.data(), text.data(), n);
  session.on_received(n);
  return n;
}

std::string drain(EchoSession& session, std::size_t at_most = SIZE_MAX) {
  std::string out;
  while (session.wants_write() && out.size() < at_most) {
    std::span<const std::byte> pending = session.pending_output();
    std::size_t n = std::min(pending.size(), at_most - out.size());
    out.append(reinterpret_cast<const char*>(pending.data()), n);
    session.on_sent(n);
  }
  return out;
}

TEST(EchoSession, EchoesWhatArrivesBeforeEndOfStream) {
  EchoSession session(16);
  EXPECT_TRUE(session.wants_read());
  EXPECT_FALSE(session.wants_write());
  feed(session, "hello");
  EXPECT_TRUE(session.wants_write());
  EXPECT_EQ(drain(session), "hello");
  EXPECT_FALSE(session.should_close());
  EXPECT_EQ(session.bytes_received(), 5u);
  EXPECT_EQ(session.bytes_sent(), 5u);
}

TEST(EchoSession, StopsReadingWhileOutputIsFull) {
  EchoSession session(8);
  EXPECT_EQ(feed(session, "0123456789"), 8u);
  EXPECT_FALSE(session.wants_read());
  EXPECT_TRUE(session.receive_space().empty());
  EXPECT_EQ(drain(session, 3), "012");
  EXPECT_TRUE(session.wants_read());
  EXPECT_EQ(feed(session, "89"), 2u);
  EXPECT_EQ(drain(session), "3456789");
}

TEST(EchoSession, ClosesOnlyAfterFlushingOnPeerEof) {
  EchoSession session(16);
  feed(session, "tail");
  session.on_peer_eof();
  EXPECT_FALSE(session.wants_read());
  EXPECT_FALSE(session.should_close());
  EXPECT_EQ(drain(session, 2), "ta");
  EXPECT_FALSE(session.should_close());
  EXPECT_EQ(drain(session), "il");
  EXPECT_TRUE(session.should_close());
}

TEST(EchoSession, ErrorClosesAtOnceAndDropsPendingOutput) {
  EchoSession session(16);
  feed(session, "lost");
  session.on_error();
  EXPECT_TRUE(session.should_close());
  EXPECT_FALSE(session.wants_write());
  EXPECT_FALSE(session.wants_read());
  EXPECT_TRUE(session.pending_output().empty());
}

TEST(EchoSession, HoldsNoBufferMemoryWhileIdle) {
  EchoSession session(4096);
  EXPECT_EQ(session.memory_held(), 0u);
  feed(session, "x");
  EXPECT_EQ(session.memory_held(), 4096u);
  drain(session);
  EXPECT_EQ(session.memory_held(), 0u);
}

TEST(EchoSession, BinarySafeAcrossWrapAround) {
  EchoSession session(5);
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string echoed;
  std::size_t offset = 0;
  while (echoed.size() < all.size()) {
    offset += feed(session, std::string_view(all).substr(offset, 3));
    echoed += drain(session, 2);
  }
  EXPECT_EQ(echoed, all);
}

TEST(EchoSession, FastPathKeepsOnlyTheUnsentRest) {
  EchoSession session(8);
  EXPECT_EQ(session.direct_receive_limit(), 8u);
  const std::string received = "abcdef";
  session.on_echoed(std::as_bytes(std::span(received)), 4);
  EXPECT_EQ(session.bytes_received(), 6u);
  EXPECT_EQ(session.bytes_sent(), 4u);
  EXPECT_EQ(session.direct_receive_limit(), 0u);  // "ef" must go out first
  EXPECT_EQ(feed(session, "gh"), 2u);
  EXPECT_EQ(drain(session), "efgh");
  EXPECT_EQ(session.direct_receive_limit(), 8u);
  EXPECT_EQ(session.memory_held(), 0u);
}

TEST(EchoSession, FastPathFullySentHoldsNoMemory) {
  EchoSession session(8);
  const std::string received = "12345678";
  session.on_echoed(std::as_bytes(std::span(received)), received.size());
  EXPECT_EQ(session.memory_held(), 0u);
  EXPECT_FALSE(session.wants_write());
  EXPECT_EQ(session.bytes_sent(), 8u);
}

TEST(EchoSession, FastPathUnsentBytesStillBackPressure) {
  EchoSession session(4);
  const std::string received = "wxyz";
  session.on_echoed(std::as_bytes(std::span(received)), 0);
  EXPECT_FALSE(session.wants_read());
  EXPECT_TRUE(session.receive_space().empty());
  EXPECT_EQ(session.direct_receive_limit(), 0u);
  EXPECT_EQ(drain(session), "wxyz");
}

TEST(EchoSession, FastPathIsClosedAfterEofOrError) {
  EchoSession eof(8);
  eof.on_peer_eof();
  EXPECT_EQ(eof.direct_receive_limit(), 0u);
  EchoSession failed(8);
  failed.on_error();
  EXPECT_EQ(failed.direct_receive_limit(), 0u);
}

}  // namespace
}  // namespace echo
