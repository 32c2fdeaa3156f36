#include "conformance/findings/stream_symptom.h"

#include <gtest/gtest.h>

#include <string>

#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"
#include "conformance/oracle/stream_trace.h"

namespace echo::conformance {
namespace {

Bytes bytes_of(const std::string& text) {
  const auto span = as_bytes(text);
  return {span.begin(), span.end()};
}

StreamTrace trace_of(const Bytes& sent, const Bytes& received, StreamEnd end) {
  StreamVerifier v = StreamVerifier::for_bytes(sent);
  v.feed(received);
  return trace_stream(v, end, sent.size(), "the echo");
}

StreamSymptom symptom(const std::string& sent, const std::string& received,
                      StreamEnd end = StreamEnd::kStalled) {
  return stream_symptom(trace_of(bytes_of(sent), bytes_of(received), end));
}

TEST(StreamSymptom, AnExactEchoHasNone) {
  EXPECT_EQ(symptom("abc", "abc", StreamEnd::kComplete).kind, "");
}

TEST(StreamSymptom, NulCutWhereTheEchoStopsOrSkipsAtANul) {
  const std::string sent("ab\0cd and more after it", 23);
  EXPECT_EQ(symptom(sent, "ab").kind, "nul-cut");
  // strlen() per read: the NUL and the rest of that read are lost, the next read follows.
  const std::string two_reads = std::string("ab\0cd", 5) + "0123456789abcdefghij";
  const StreamSymptom s = symptom(two_reads, "ab0123456789abcdefghij");
  EXPECT_EQ(s.kind, "nul-cut");
  EXPECT_NE(s.detail.find("byte 2"), std::string::npos) << s.detail;
}

TEST(StreamSymptom, NewlineTranslations) {
  EXPECT_EQ(symptom("one\ntwo\nthree and more", "one\r\ntwo\r\nthree and more").kind,
            "newline-to-crlf");
  EXPECT_EQ(symptom("one\r\ntwo\r\nthree and more", "one\ntwo\nthree and more").kind,
            "crlf-to-newline");
}

TEST(StreamSymptom, NulCutEvenWhenTheServerClosedAtTheHalfClose) {
  const std::string sent("ab\0cd", 5);
  StreamTrace t = trace_of(bytes_of(sent), bytes_of("ab"), StreamEnd::kFin);
  t.client_shut_down = true;
  EXPECT_EQ(stream_symptom(t).kind, "nul-cut");
  t = trace_of(bytes_of("abcd"), bytes_of("ab"), StreamEnd::kFin);
  t.client_shut_down = true;
  EXPECT_EQ(stream_symptom(t).kind, "half-close-tail-lost");
}

// A run of zeros cut at a fixed size stops at a NUL too, but NULs came back
// before it: that is a cut stream, not a NUL cut.
TEST(StreamSymptom, AStopInARunOfNulsIsNoNulCut) {
  const std::string zeros(100, '\0');
  EXPECT_EQ(symptom("abc" + zeros, "abc" + zeros.substr(0, 60), StreamEnd::kFin).kind,
            "stream-cut");
  EXPECT_EQ(symptom("abc" + zeros, "abc", StreamEnd::kFin).kind, "nul-cut");
}

TEST(StreamSymptom, NewlineToCrLfInTheShortestEcho) {
  EXPECT_EQ(symptom("\n", "\r\n").kind, "newline-to-crlf");
  EXPECT_EQ(symptom("x\n", "x\r\n").kind, "newline-to-crlf");
}

TEST(StreamSymptom, HighBitChanged) {
  std::string sent = "abc";
  sent += static_cast<char>(0xC3);
  sent += "defghijklmnopqrstuvwxyz";
  std::string got = sent;
  got[3] = static_cast<char>(0x43);
  EXPECT_EQ(symptom(sent, got).kind, "high-bit-changed");
}

TEST(StreamSymptom, GreetingExtraAndUnsolicited) {
  const StreamSymptom greeting =
      symptom("Hello, echo server!\n", "220 welcome to echo\r\nHello, echo server!\n");
  EXPECT_EQ(greeting.kind, "greeting");
  EXPECT_NE(greeting.detail.find("21 bytes"), std::string::npos) << greeting.detail;
  EXPECT_EQ(symptom("abc", "abc\n", StreamEnd::kComplete).kind, "extra-bytes");
  EXPECT_EQ(symptom("abcdefghijklmnopqrstuvwxyz", "abcdefgh\nijklmnopqrstuvwxyz").kind,
            "extra-bytes");
  EXPECT_EQ(symptom("Hello there", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").kind,
            "unsolicited-data");
}

TEST(StreamSymptom, BytesLostMidStreamAreShortWrites) {
  const Bytes sent = PayloadStream(9, 9).prefix(200'000);
  Bytes got(sent.begin(), sent.begin() + 50'000);
  got.insert(got.end(), sent.begin() + 60'000, sent.end());
  const StreamSymptom s = stream_symptom(trace_of(sent, got, StreamEnd::kStalled));
  EXPECT_EQ(s.kind, "short-write-lost");
  EXPECT_NE(s.detail.find("10000 bytes lost"), std::string::npos) << s.detail;
}

TEST(StreamSymptom, HowAShortEchoEnded) {
  EXPECT_EQ(symptom("line one\nline two\ntail", "line one\nline two\n").kind, "line-buffered");
  EXPECT_EQ(symptom("some data", "", StreamEnd::kFin).kind, "closes-at-once");
  EXPECT_EQ(symptom("some data", "", StreamEnd::kStalled).kind, "no-echo");
  EXPECT_EQ(symptom("some data", "some", StreamEnd::kReset).kind, "resets-connections");
  EXPECT_EQ(symptom("some data here", "some", StreamEnd::kFin).kind, "stream-cut");
  EXPECT_EQ(symptom("some data here", "some", StreamEnd::kStalled).kind, "stalls");
  EXPECT_EQ(symptom("some data here", "some", StreamEnd::kDeadline).kind, "slow-echo");
}

TEST(StreamSymptom, TheTailLostAfterAHalfClose) {
  StreamTrace t = trace_of(bytes_of("0123456789"), bytes_of("01234"), StreamEnd::kFin);
  t.client_shut_down = true;
  const StreamSymptom s = stream_symptom(t);
  EXPECT_EQ(s.kind, "half-close-tail-lost");
  EXPECT_NE(s.detail.find("last 5 bytes"), std::string::npos) << s.detail;
}

TEST(StreamSymptom, OnlyTheFirstWriteCameBack) {
  StreamTrace t = trace_of(bytes_of("first.second.third"), bytes_of("first."), StreamEnd::kStalled);
  t.first_write = 6;
  EXPECT_EQ(stream_symptom(t).kind, "first-read-only");
}

TEST(StreamSymptom, WaitsForEofAndNeverClosed) {
  StreamTrace t = trace_of(bytes_of("abc"), bytes_of("abc"), StreamEnd::kComplete);
  t.arrived_after_shutdown = true;
  EXPECT_EQ(stream_symptom(t).kind, "waits-for-eof");
  t.arrived_after_shutdown = false;
  t.client_shut_down = true;
  t.after = AfterEcho::kNothing;
  EXPECT_EQ(stream_symptom(t).kind, "half-close-never-closed");
}

}  // namespace
}  // namespace echo::conformance
