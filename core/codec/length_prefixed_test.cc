#include "core/codec/length_prefixed.h"

#include <gtest/gtest.h>

#include <string>

#include "core/codec/testing/decoding.h"

namespace echo {
namespace {

using testing::bytes;
using testing::decode_in_chunks;
using testing::expect_chunking_invariant;
using Event = DecodeEvent<std::vector<std::byte>>;

Event message(std::string_view text) { return Event(bytes(text)); }

std::vector<Event> decode(const LengthPrefixedOptions& options, std::span<const std::byte> in) {
  return decode_in_chunks(LengthPrefixedDecoder(options), in, {});
}

DecodeError only_error(const std::vector<Event>& events) {
  EXPECT_EQ(events.size(), 1u);
  return std::get<DecodeError>(events.at(0));
}

TEST(LengthPrefixedDecoder, ReadsEachPrefixWidth) {
  EXPECT_EQ(decode({.prefix = LengthPrefix::kU8}, bytes({2, 'h', 'i', 0})),
            (std::vector<Event>{message("hi"), message("")}));
  EXPECT_EQ(decode({.prefix = LengthPrefix::kBe16}, bytes({0, 3, 'a', 'b', 'c'})),
            (std::vector<Event>{message("abc")}));
  EXPECT_EQ(decode({.prefix = LengthPrefix::kBe32}, bytes({0, 0, 0, 1, 'z', 0, 0})),
            (std::vector<Event>{message("z")}));
  EXPECT_EQ(decode({.prefix = LengthPrefix::kVarint}, bytes({1, 'q', 0})),
            (std::vector<Event>{message("q"), message("")}));
}

TEST(LengthPrefixedDecoder, ReadsBigEndianNotHostOrder) {
  auto wire = bytes({0x01, 0x00});
  wire.resize(2 + 256, std::byte{'x'});
  const auto events = decode({.prefix = LengthPrefix::kBe16}, wire);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<0>(events[0]).size(), 256u);
}

TEST(LengthPrefixedDecoder, ReadsAMultiByteVarintLength) {
  std::vector<std::byte> wire = bytes({0xAC, 0x02});  // 300
  wire.resize(2 + 300, std::byte{'v'});
  const auto events = decode({.prefix = LengthPrefix::kVarint}, wire);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<0>(events[0]), std::vector<std::byte>(300, std::byte{'v'}));
}

TEST(LengthPrefixedDecoder, ReportsATooLongMessageAndSkipsItsBody) {
  LengthPrefixedDecoder decoder({.prefix = LengthPrefix::kBe16, .max_length = 4});
  auto wire = bytes({0x13, 0x88});  // 5000
  wire.resize(2 + 5000, std::byte{'x'});
  const auto next = bytes({0, 2, 'o', 'k'});
  wire.insert(wire.end(), next.begin(), next.end());
  std::vector<Event> events;
  feed_all(decoder, wire, [&](Event event) { events.push_back(std::move(event)); });
  ASSERT_EQ(events.size(), 2u);
  const auto& error = std::get<DecodeError>(events[0]);
  EXPECT_EQ(error.kind, DecodeErrorKind::kTooLong);
  EXPECT_EQ(error.message, "message length 5000 exceeds the 4-byte limit");
  EXPECT_EQ(error.skipped, 2u);
  EXPECT_EQ(events[1], message("ok"));
  EXPECT_EQ(decoder.skipped_total(), 5002u);
  EXPECT_LE(decoder.buffered(), decoder.buffer_limit());
}

TEST(LengthPrefixedDecoder, RejectsAVarintLongerThanTenBytes) {
  const DecodeError error =
      only_error(decode({.prefix = LengthPrefix::kVarint},
                        bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})));
  EXPECT_EQ(error.kind, DecodeErrorKind::kBadLengthPrefix);
  EXPECT_EQ(error.message, "varint length prefix is longer than 10 bytes; expected at most 10");
  EXPECT_EQ(error.skipped, 10u);
}

TEST(LengthPrefixedDecoder, RejectsAVarintPast64Bits) {
  const DecodeError error =
      only_error(decode({.prefix = LengthPrefix::kVarint},
                        bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F})));
  EXPECT_EQ(error.message,
            "varint length prefix exceeds 64 bits; expected a 10th byte of 0x00 or 0x01");
}

TEST(LengthPrefixedDecoder, RejectsANonMinimalVarintAndStops) {
  LengthPrefixedDecoder decoder({.prefix = LengthPrefix::kVarint});
  std::vector<Event> events;
  feed_all(decoder, bytes({0x82, 0x80, 0x00, 'a', 'b', 1, 'c'}),
           [&](Event event) { events.push_back(std::move(event)); });
  const DecodeError error = only_error(events);
  EXPECT_EQ(error.message, "varint length prefix 2 is encoded in 3 bytes; expected the minimal 1");
  EXPECT_EQ(error.skipped, 3u);
  EXPECT_TRUE(decoder.failed());
  EXPECT_EQ(decoder.skipped_total(), 7u);
  EXPECT_EQ(decoder.feed(bytes({1, 'd'})), 2u);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_EQ(decoder.skipped_total(), 9u);
}

TEST(LengthPrefixedDecoder, RejectsAVarintLengthAboveTheMaximum) {
  const DecodeError error =
      only_error(decode({.prefix = LengthPrefix::kVarint, .max_length = 100},
                        bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})));
  EXPECT_EQ(error.message, "message length 18446744073709551615 exceeds the 100-byte limit");
}

TEST(LengthPrefixedDecoder, BuffersAtMostThePrefixAndMaxLength) {
  LengthPrefixedDecoder decoder({.prefix = LengthPrefix::kBe32, .max_length = 10});
  EXPECT_EQ(decoder.buffer_limit(), 14u);
  EXPECT_EQ(decoder.feed(std::vector<std::byte>(100, std::byte{0})), 14u);
}

TEST(LengthPrefixedDecoder, GivesTheSameEventsHoweverTheInputIsSplit) {
  for (LengthPrefix prefix :
       {LengthPrefix::kU8, LengthPrefix::kBe16, LengthPrefix::kBe32, LengthPrefix::kVarint}) {
    const LengthPrefixedOptions options{.prefix = prefix, .max_length = 200};
    std::vector<std::byte> wire;
    for (std::size_t n : {0, 1, 5, 130, 200}) {
      ASSERT_TRUE(
          encode_length_prefixed(wire, std::vector<std::byte>(n, std::byte{'m'}), options).ok());
    }
    const auto events = expect_chunking_invariant(LengthPrefixedDecoder(options), wire);
    EXPECT_EQ(events.size(), 5u);
    wire.pop_back();  // the last message is now truncated
    EXPECT_EQ(
        expect_chunking_invariant(LengthPrefixedDecoder(options), wire, testing::AtEnd::kFinish)
            .back()
            .index(),
        1u);
    // An oversized message in the middle is skipped identically too.
    EXPECT_EQ(expect_chunking_invariant(
                  LengthPrefixedDecoder({.prefix = prefix, .max_length = 100}), wire)
                  .size(),
              5u);
  }
}

TEST(LengthPrefixedDecoder, GivesTheSameFinalErrorHoweverTheInputIsSplit) {
  const auto wire = bytes({3, 'a', 'b', 'c', 0x80, 0x80, 0x00, 'x'});
  const auto events =
      expect_chunking_invariant(LengthPrefixedDecoder({.prefix = LengthPrefix::kVarint}), wire);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], message("abc"));
  EXPECT_EQ(std::get<DecodeError>(events[1]).kind, DecodeErrorKind::kBadLengthPrefix);
}

TEST(LengthPrefixedDecoder, FinishReportsAPartialMessageOrPrefix) {
  using testing::AtEnd;
  const auto body = decode_in_chunks(LengthPrefixedDecoder({.prefix = LengthPrefix::kBe16}),
                                     bytes({0, 10, 'a', 'b', 'c'}), {}, AtEnd::kFinish);
  EXPECT_EQ(only_error(body).message, "input ended inside a message: got 5 of its 12 bytes");
  EXPECT_EQ(only_error(body).kind, DecodeErrorKind::kTruncated);
  EXPECT_EQ(only_error(body).skipped, 5u);
  const auto prefix = decode_in_chunks(LengthPrefixedDecoder({.prefix = LengthPrefix::kBe32}),
                                       bytes({0}), {}, AtEnd::kFinish);
  EXPECT_EQ(only_error(prefix).message, "input ended inside a length prefix: got 1 of its 4 bytes");
  const auto varint = decode_in_chunks(LengthPrefixedDecoder({.prefix = LengthPrefix::kVarint}),
                                       bytes({0x80, 0x80}), {}, AtEnd::kFinish);
  EXPECT_EQ(only_error(varint).message, "input ended inside a length prefix: got 2 bytes");
  const auto whole = decode_in_chunks(LengthPrefixedDecoder({.prefix = LengthPrefix::kU8}),
                                      bytes({1, 'a'}), {}, AtEnd::kFinish);
  EXPECT_EQ(whole, std::vector<Event>{message("a")});
}

TEST(EncodeLengthPrefixed, RoundTripsForEveryPrefix) {
  for (LengthPrefix prefix :
       {LengthPrefix::kU8, LengthPrefix::kBe16, LengthPrefix::kBe32, LengthPrefix::kVarint}) {
    std::vector<std::byte> wire;
    ASSERT_TRUE(encode_length_prefixed(wire, bytes("hello"), {.prefix = prefix}).ok());
    ASSERT_TRUE(encode_length_prefixed(wire, bytes(""), {.prefix = prefix}).ok());
    EXPECT_EQ(wire.size(), 2 * max_prefix_size(prefix) + 5 -
                               (prefix == LengthPrefix::kVarint ? 2 * (10 - 1) : 0));
    EXPECT_EQ(decode({.prefix = prefix}, wire),
              (std::vector<Event>{message("hello"), message("")}));
  }
}

TEST(EncodeLengthPrefixed, RejectsWhatThePrefixCannotExpress) {
  std::vector<std::byte> wire;
  const Status status =
      encode_length_prefixed(wire, std::vector<std::byte>(256), {.prefix = LengthPrefix::kU8});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "message of 256 bytes exceeds the 255-byte limit of this length prefix");
  EXPECT_TRUE(wire.empty());
}

TEST(EncodeLengthPrefixed, RejectsAMessageOverMaxLength) {
  std::vector<std::byte> wire;
  const Status status = encode_length_prefixed(wire, bytes("abc"), {.max_length = 2});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "message of 3 bytes exceeds the 2-byte limit of this length prefix");
}

}  // namespace
}  // namespace echo
