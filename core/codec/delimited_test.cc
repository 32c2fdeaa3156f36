#include "core/codec/delimited.h"

#include <gtest/gtest.h>

#include <string>

#include "core/codec/testing/decoding.h"

namespace echo {
namespace {

using testing::bytes;
using testing::decode_in_chunks;
using testing::expect_chunking_invariant;
using Event = DecodeEvent<std::vector<std::byte>>;

std::vector<Event> decode(const DelimitedOptions& options, std::string_view input) {
  return decode_in_chunks(DelimitedDecoder(options), bytes(input), {});
}

Event message(std::string_view text) { return Event(bytes(text)); }

TEST(DelimitedDecoder, SplitsLinesAndDropsTheDelimiter) {
  EXPECT_EQ(decode({}, "hello\n\nworld\npartial"),
            (std::vector<Event>{message("hello"), message(""), message("world")}));
}

TEST(DelimitedDecoder, KeepsTheDelimiterWhenAsked) {
  EXPECT_EQ(decode({.include_delimiter = true}, "a\nbc\n"),
            (std::vector<Event>{message("a\n"), message("bc\n")}));
}

TEST(DelimitedDecoder, UsesAConfiguredDelimiter) {
  EXPECT_EQ(decode({.delimiter = std::byte{0}}, std::string_view("a\nb\0c\0", 6)),
            (std::vector<Event>{message("a\nb"), message("c")}));
}

TEST(DelimitedDecoder, HoldsAnIncompleteMessageUntilItsDelimiter) {
  DelimitedDecoder decoder;
  EXPECT_EQ(decoder.feed(bytes("hel")), 3u);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_EQ(decoder.buffered(), 3u);
  EXPECT_EQ(decoder.feed(bytes("lo\n")), 3u);
  EXPECT_EQ(decoder.next(), message("hello"));
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(DelimitedDecoder, AcceptsAMessageOfExactlyMaxLength) {
  EXPECT_EQ(decode({.max_length = 4}, "abcd\n"), (std::vector<Event>{message("abcd")}));
}

TEST(DelimitedDecoder, ReportsOverflowWithTheExactMessage) {
  const auto events = decode({}, std::string(1025, 'x'));
  ASSERT_EQ(events.size(), 1u);
  const auto& error = std::get<DecodeError>(events[0]);
  EXPECT_EQ(error.kind, DecodeErrorKind::kTooLong);
  EXPECT_EQ(error.message, "message exceeds the 1024-byte limit without a '\\n' delimiter");
  EXPECT_EQ(error.skipped, 1025u);
}

TEST(DelimitedDecoder, NamesAnUnprintableDelimiterInHex) {
  const auto events = decode({.delimiter = std::byte{0}, .max_length = 2}, "abc");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<DecodeError>(events[0]).message,
            "message exceeds the 2-byte limit without a '\\x00' delimiter");
}

TEST(DelimitedDecoder, ResyncsAfterOverflowAtTheNextDelimiter) {
  DelimitedDecoder decoder({.max_length = 4});
  std::vector<Event> events;
  feed_all(decoder, bytes("ok\ntoo long for it\nnext\n"),
           [&](Event event) { events.push_back(std::move(event)); });
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], message("ok"));
  EXPECT_EQ(std::get<DecodeError>(events[1]).skipped, 5u);
  EXPECT_EQ(events[2], message("next"));
  EXPECT_EQ(decoder.skipped_total(), std::string("too long for it\n").size());
}

TEST(DelimitedDecoder, DiscardsAnEndlessOverflowWithoutBuffering) {
  DelimitedDecoder decoder({.max_length = 8});
  const auto chunk = bytes(std::string(1000, 'z'));
  int errors = 0;
  for (int i = 0; i < 100; ++i) {
    feed_all(decoder, chunk, [&](const Event& event) { errors += event.index() == 1; });
    EXPECT_LE(decoder.buffered(), decoder.buffer_limit());
  }
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_EQ(decoder.skipped_total(), 100'000u);
}

TEST(DelimitedDecoder, FeedTakesNoMoreThanTheLimit) {
  DelimitedDecoder decoder({.max_length = 3});
  EXPECT_EQ(decoder.buffer_limit(), 4u);
  EXPECT_EQ(decoder.feed(bytes("a\nbcdefgh")), 4u);
  EXPECT_EQ(decoder.next(), message("a"));
  EXPECT_EQ(decoder.buffered(), 2u);
}

TEST(DelimitedDecoder, GivesTheSameEventsHoweverTheInputIsSplit) {
  const std::string input = "one\ntwo\n\nthis line is far too long\nthree\nxyz";
  EXPECT_EQ(expect_chunking_invariant(DelimitedDecoder({.max_length = 6}), bytes(input)),
            (std::vector<Event>{message("one"), message("two"), message(""),
                                std::get<DecodeError>(decode({.max_length = 6}, "1234567")[0]),
                                message("three")}));
  EXPECT_EQ(expect_chunking_invariant(
                DelimitedDecoder({.max_length = 6, .include_delimiter = true}), bytes(input))
                .size(),
            5u);
}

TEST(DelimitedDecoder, FinishReportsAPartialLastMessage) {
  const auto events =
      decode_in_chunks(DelimitedDecoder(), bytes("a\npartial"), {3}, testing::AtEnd::kFinish);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], message("a"));
  const auto& error = std::get<DecodeError>(events[1]);
  EXPECT_EQ(error.kind, DecodeErrorKind::kTruncated);
  EXPECT_EQ(error.message, "input ended inside a message: 7 bytes without a '\\n' delimiter");
  EXPECT_EQ(error.skipped, 7u);
}

TEST(DelimitedDecoderDeathTest, FeedAfterFinishAborts) {
  DelimitedDecoder decoder;
  decoder.finish();
  EXPECT_DEATH((void)decoder.feed(bytes("x")), "feed\\(\\) after finish\\(\\)");
}

TEST(EncodeDelimited, RoundTripsThroughTheDecoder) {
  const DelimitedOptions options{.delimiter = std::byte{';'}, .max_length = 16};
  std::vector<std::byte> wire;
  for (std::string_view m : {"alpha", "", "with\nnewline"}) {
    ASSERT_TRUE(encode_delimited(wire, bytes(m), options).ok());
  }
  EXPECT_EQ(decode_in_chunks(DelimitedDecoder(options), wire, {}),
            (std::vector<Event>{message("alpha"), message(""), message("with\nnewline")}));
}

TEST(EncodeDelimited, RejectsAMessageContainingTheDelimiter) {
  std::vector<std::byte> wire;
  const Status status = encode_delimited(wire, bytes("ab\ncd"), {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "message contains the '\\n' delimiter at offset 2; expected none inside a delimited "
            "message");
  EXPECT_TRUE(wire.empty());
}

TEST(EncodeDelimited, RejectsAMessageOverTheLimit) {
  std::vector<std::byte> wire;
  const Status status = encode_delimited(wire, bytes("abcde"), {.max_length = 4});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "message of 5 bytes exceeds the 4-byte limit");
  EXPECT_TRUE(wire.empty());
}

}  // namespace
}  // namespace echo
