#include "conformance/oracle/stream_trace.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"

namespace echo::conformance {
namespace {

Bytes bytes_of(const std::string& text) {
  const auto span = as_bytes(text);
  return {span.begin(), span.end()};
}

StreamTrace trace_of(const Bytes& sent, const Bytes& received,
                     StreamEnd end = StreamEnd::kStalled) {
  StreamVerifier v = StreamVerifier::for_bytes(sent);
  v.feed(received);
  return trace_stream(v, end, sent.size(), "the echo");
}

TEST(TraceStream, AnExactEchoHasNoMismatchAndItsCounts) {
  const Bytes sent = bytes_of("hello\nworld");
  const StreamTrace t = trace_of(sent, sent, StreamEnd::kComplete);
  EXPECT_FALSE(t.mismatch);
  EXPECT_EQ(t.sent, 11u);
  EXPECT_EQ(t.received, 11u);
  EXPECT_EQ(t.verified, 11u);
  EXPECT_EQ(t.extra, 0u);
  EXPECT_EQ(t.through_last_newline, 6u);
  EXPECT_EQ(t.expected_head, sent);
  EXPECT_EQ(t.received_head, sent);
  EXPECT_EQ(t.label, "the echo");
}

TEST(TraceStream, FindsBytesInsertedAtTheMismatch) {
  const StreamTrace t = trace_of(bytes_of("one\ntwo\nthree and more text"),
                                 bytes_of("one\r\ntwo\r\nthree and more text"));
  ASSERT_TRUE(t.mismatch);
  EXPECT_EQ(*t.mismatch, 3u);
  EXPECT_EQ(t.inserted, 1u);
  EXPECT_EQ(t.skipped, 0u);
  EXPECT_EQ(t.received_window.at(3), std::byte{'\r'});
}

TEST(TraceStream, FindsTheSameByteInsertedAfterEveryShortRead) {
  // A server that adds "\n" after each read of three bytes.
  const StreamTrace t = trace_of(bytes_of("abcdefghijklmnopqrstuvwx"),
                                 bytes_of("abc\ndef\nghi\njkl\nmno\npqr\nstu\nvwx\n"));
  ASSERT_TRUE(t.mismatch);
  EXPECT_EQ(*t.mismatch, 3u);
  EXPECT_EQ(t.inserted, 1u);
  EXPECT_EQ(t.skipped, 0u);
}

TEST(TraceStream, DifferentBytesEveryFewBytesAreNotAnInsertion) {
  const StreamTrace t =
      trace_of(bytes_of("abcdefghijklmnopqrstuvwx"), bytes_of("abc\ndef\rghi\tjkl mno!pqr"));
  ASSERT_TRUE(t.mismatch);
  EXPECT_EQ(t.inserted, 0u);
}

// A stream that ends right after the mismatch is too short to align by, but
// when all of it arrived and it ends with the expected tail, the bytes before
// that tail were inserted (the shortest echo a CR LF translation shows in).
TEST(TraceStream, FindsBytesInsertedInAShortTail) {
  const StreamTrace lone = trace_of(bytes_of("\n"), bytes_of("\r\n"));
  ASSERT_TRUE(lone.mismatch);
  EXPECT_EQ(*lone.mismatch, 0u);
  EXPECT_EQ(lone.inserted, 1u);
  EXPECT_EQ(trace_of(bytes_of("ab\n"), bytes_of("ab\r\n")).inserted, 1u);
  EXPECT_EQ(trace_of(bytes_of("a\nb"), bytes_of("a\r\nb")).inserted, 1u);
  // Not when the tail differs, more is missing, or more came after it.
  EXPECT_EQ(trace_of(bytes_of("\n"), bytes_of("\r\r")).inserted, 0u);
  EXPECT_EQ(trace_of(bytes_of("\nb"), bytes_of("\r\n")).inserted, 0u);
  EXPECT_EQ(trace_of(bytes_of("\n"), bytes_of("\r\nx")).inserted, 0u);
}

TEST(TraceStream, FindsBytesSkippedFarAheadInAPayloadStream) {
  const PayloadStream payload(7, 1);
  const Bytes sent = payload.prefix(300'000);
  Bytes received(sent.begin(), sent.begin() + 100'000);
  received.insert(received.end(), sent.begin() + 165'536, sent.end());  // 65,536 lost
  StreamVerifier v = StreamVerifier::for_payload(payload, sent.size());
  v.feed(received);
  const StreamTrace t = trace_stream(v, StreamEnd::kFin, sent.size(), "stream");
  ASSERT_TRUE(t.mismatch);
  EXPECT_EQ(*t.mismatch, 100'000u);
  EXPECT_EQ(t.skipped, 65'536u);
  EXPECT_EQ(t.inserted, 0u);
}

TEST(TraceStream, AChangedByteIsNeitherSkippedNorInserted) {
  Bytes sent = PayloadStream(3, 3).prefix(1000);
  Bytes received = sent;
  received[500] ^= std::byte{0x80};
  const StreamTrace t = trace_of(sent, received);
  ASSERT_TRUE(t.mismatch);
  EXPECT_EQ(*t.mismatch, 500u);
  EXPECT_EQ(t.skipped, 0u);
  EXPECT_EQ(t.inserted, 0u);
  EXPECT_EQ(t.window_start, 500u - StreamTrace::kWindowBefore);
  EXPECT_EQ(t.expected_window.size(), StreamTrace::kWindowBefore + StreamTrace::kWindowAfter);
  EXPECT_EQ(t.received_window[StreamTrace::kWindowBefore], received[500]);
}

TEST(TraceStream, AShortEchoShowsWhereItStoppedAndTheLastNewline) {
  const Bytes sent = bytes_of("line one\nline two\npartial");
  const StreamTrace t = trace_of(sent, bytes_of("line one\nline two\n"));
  EXPECT_FALSE(t.mismatch);
  EXPECT_EQ(t.received, 18u);
  EXPECT_EQ(t.through_last_newline, 18u);
  EXPECT_EQ(t.window_start, 0u);
  EXPECT_EQ(t.expected_window, sent);
  EXPECT_EQ(t.received_window, bytes_of("line one\nline two\n"));
}

TEST(TraceStream, ExtraBytesAfterTheEchoAreInTheWindow) {
  const StreamTrace t = trace_of(bytes_of("abc"), bytes_of("abc\r\n"), StreamEnd::kComplete);
  EXPECT_EQ(t.extra, 2u);
  EXPECT_EQ(t.received_window, bytes_of("abc\r\n"));
}

TEST(TraceStream, TheNewlineSearchLooksOnlyAtWhatWasSent) {
  StreamVerifier v = StreamVerifier::for_bytes(bytes_of("ab\ncd\nef"));
  EXPECT_EQ(trace_stream(v, StreamEnd::kStalled, 4, "").through_last_newline, 3u);
  EXPECT_EQ(trace_stream(v, StreamEnd::kStalled, 2, "").through_last_newline, 0u);
}

}  // namespace
}  // namespace echo::conformance
