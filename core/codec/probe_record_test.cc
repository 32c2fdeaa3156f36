#include "core/codec/probe_record.h"

#include <gtest/gtest.h>

#include <random>

#include "core/codec/big_endian.h"
#include "core/codec/crc32c.h"
#include "core/codec/testing/decoding.h"

namespace echo {
namespace {

using testing::AtEnd;
using testing::bytes;
using testing::decode_in_chunks;
using testing::expect_chunking_invariant;
using Event = DecodeEvent<ProbeRecord>;

ProbeRecord record(std::uint64_t sequence, std::size_t payload_size) {
  ProbeRecord r{sequence, 1'000'000'000ULL * sequence + 12345, {}};
  for (std::size_t i = 0; i < payload_size; ++i) {
    r.payload.push_back(static_cast<std::byte>((sequence * 31 + i) & 0xFF));
  }
  return r;
}

std::vector<std::byte> encode(const ProbeRecord& r) {
  std::vector<std::byte> out;
  encode_probe_record(out, r);
  return out;
}

void append(std::vector<std::byte>& out, std::span<const std::byte> more) {
  out.insert(out.end(), more.begin(), more.end());
}

std::vector<Event> decode(std::span<const std::byte> wire, AtEnd at_end = AtEnd::kWait) {
  return decode_in_chunks(ProbeRecordDecoder({.max_payload = 1024}), wire, {}, at_end);
}

DecodeError error_at(const std::vector<Event>& events, std::size_t i) {
  EXPECT_GT(events.size(), i);
  if (i >= events.size() || events[i].index() != 1) {
    ADD_FAILURE() << "event " << i << " is not an error";
    return {};
  }
  return std::get<DecodeError>(events[i]);
}

TEST(EncodeProbeRecord, WritesEachFieldBigEndianThenTheChecksum) {
  const auto wire = encode({.sequence = 0x0102030405060708ULL,
                            .send_time_ns = 0x1112131415161718ULL,
                            .payload = bytes("ab")});
  const auto header = bytes({0xEC, 0x0B, 0x5E, 0x4D, 1,    2,    3,    4, 5, 6, 7, 8,   0x11,
                             0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0, 0, 0, 2, 'a', 'b'});
  ASSERT_EQ(wire.size(), probe_record_size(2));
  EXPECT_EQ(std::vector<std::byte>(wire.begin(), wire.begin() + 26), header);
  EXPECT_EQ(load_be32(std::span(wire).subspan(26)), crc32c(header));
}

TEST(ProbeRecordDecoder, RoundTripsRecordsOfManySizes) {
  std::vector<std::byte> wire;
  std::vector<Event> expected;
  for (std::size_t n : {0, 1, 7, 100, 1024}) {
    append(wire, encode(record(n, n)));
    expected.emplace_back(record(n, n));
  }
  EXPECT_EQ(decode(wire), expected);
}

TEST(ProbeRecordDecoder, DecodesAPayloadThatContainsTheMagic) {
  ProbeRecord r = record(1, 0);
  r.payload = bytes({0xEC, 0x0B, 0x5E, 0x4D, 0xEC, 0x0B});
  EXPECT_EQ(decode(encode(r)), std::vector<Event>{r});
}

TEST(ProbeRecordDecoder, SkipsGarbageBetweenRecordsAndCountsIt) {
  std::vector<std::byte> wire = bytes("junk");
  append(wire, encode(record(1, 10)));
  append(wire, bytes({0xEC, 0x0B, 0x5E, 'x', 0xEC}));  // magic prefixes inside the garbage
  append(wire, encode(record(2, 10)));
  const auto events = decode(wire);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(error_at(events, 0).kind, DecodeErrorKind::kBadMagic);
  EXPECT_EQ(error_at(events, 0).message,
            "expected the probe magic 0xEC0B5E4D; skipped 4 bytes to the next magic");
  EXPECT_EQ(error_at(events, 0).skipped, 4u);
  EXPECT_EQ(events[1], Event(record(1, 10)));
  EXPECT_EQ(error_at(events, 2).skipped, 5u);
  EXPECT_EQ(events[3], Event(record(2, 10)));
}

TEST(ProbeRecordDecoder, ReportsAFlippedPayloadByteAsABadChecksum) {
  std::vector<std::byte> wire = encode(record(1, 8));
  auto bad = encode(record(2, 8));
  bad[kProbeHeaderSize + 3] ^= std::byte{0x40};
  append(wire, bad);
  append(wire, encode(record(3, 8)));
  const auto events = decode(wire);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], Event(record(1, 8)));
  const DecodeError error = error_at(events, 1);
  EXPECT_EQ(error.kind, DecodeErrorKind::kBadChecksum);
  EXPECT_EQ(error.skipped, bad.size());
  const std::uint32_t stored = load_be32(std::span(bad).subspan(kProbeHeaderSize + 8));
  const std::uint32_t computed = crc32c(std::span(bad).first(kProbeHeaderSize + 8));
  char expected[160];
  std::snprintf(expected, sizeof expected,
                "probe record checksum 0x%08X does not match the computed 0x%08X; skipped 36 "
                "bytes to the next magic",
                static_cast<unsigned>(stored), static_cast<unsigned>(computed));
  EXPECT_EQ(error.message, expected);
  EXPECT_EQ(events[2], Event(record(3, 8)));
}

TEST(ProbeRecordDecoder, ReportsAnAbsurdLengthAndResyncs) {
  auto bad = encode(record(1, 4));
  bad[20] = std::byte{0x7F};  // length 0x7F000004
  std::vector<std::byte> wire = bad;
  append(wire, encode(record(2, 4)));
  const auto events = decode(wire);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(error_at(events, 0).kind, DecodeErrorKind::kTooLong);
  EXPECT_EQ(error_at(events, 0).message,
            "probe payload length 2130706436 exceeds the 1024-byte limit; skipped 32 bytes to "
            "the next magic");
  EXPECT_EQ(events[1], Event(record(2, 4)));
}

TEST(ProbeRecordDecoder, ResyncsAfterEverySingleByteFlip) {
  const std::vector<std::byte> first = encode(record(1, 12));
  const std::vector<std::byte> middle = encode(record(2, 12));
  const std::vector<std::byte> last = encode(record(3, 12));
  for (std::size_t i = 0; i < middle.size(); ++i) {
    std::vector<std::byte> wire = first;
    std::vector<std::byte> bad = middle;
    bad[i] ^= std::byte{0x01};
    append(wire, bad);
    append(wire, last);
    // A flipped length may still look plausible and wait for more bytes:
    // finish() makes the decoder give up on it and rescan.
    const auto events = decode(wire, AtEnd::kFinish);
    ASSERT_EQ(events.size(), 3u) << "flip at " << i;
    EXPECT_EQ(events[0], Event(record(1, 12)));
    EXPECT_EQ(error_at(events, 1).skipped, middle.size()) << "flip at " << i;
    EXPECT_EQ(events[2], Event(record(3, 12)));
  }
}

TEST(ProbeRecordDecoder, ResyncsAfterARecordTruncatedAnywhere) {
  const std::vector<std::byte> middle = encode(record(2, 20));
  for (std::size_t keep = 1; keep < middle.size(); ++keep) {
    std::vector<std::byte> wire = encode(record(1, 20));
    append(wire, std::span(middle).first(keep));
    for (std::uint64_t seq = 3; seq < 6; ++seq) append(wire, encode(record(seq, 20)));
    ProbeRecordDecoder decoder({.max_payload = 1024});
    std::vector<std::uint64_t> sequences;
    std::size_t reported = 0;
    feed_all(decoder, wire, [&](Event event) {
      if (auto* r = std::get_if<ProbeRecord>(&event)) sequences.push_back(r->sequence);
      if (auto* e = std::get_if<DecodeError>(&event)) reported += e->skipped;
    });
    decoder.finish();
    while (auto event = decoder.next()) {
      if (auto* r = std::get_if<ProbeRecord>(&*event)) sequences.push_back(r->sequence);
      if (auto* e = std::get_if<DecodeError>(&*event)) reported += e->skipped;
    }
    EXPECT_EQ(sequences, (std::vector<std::uint64_t>{1, 3, 4, 5})) << "kept " << keep;
    EXPECT_EQ(reported, keep);
    EXPECT_EQ(decoder.skipped_total(), keep);
    EXPECT_EQ(decoder.buffered(), 0u);
  }
}

TEST(ProbeRecordDecoder, WaitsForATruncatedRecordAtTheEnd) {
  std::vector<std::byte> wire = encode(record(1, 5));
  const auto partial = encode(record(2, 5));
  append(wire, std::span(partial).first(20));
  ProbeRecordDecoder decoder;
  std::vector<Event> events;
  feed_all(decoder, wire, [&](Event event) { events.push_back(std::move(event)); });
  EXPECT_EQ(events, std::vector<Event>{record(1, 5)});
  EXPECT_EQ(decoder.buffered(), 20u);
  EXPECT_EQ(decoder.skipped_total(), 0u);
  decoder.finish();
  const auto truncated = decoder.next();
  ASSERT_TRUE(truncated.has_value());
  const auto& error = std::get<DecodeError>(*truncated);
  EXPECT_EQ(error.kind, DecodeErrorKind::kTruncated);
  EXPECT_EQ(error.message,
            "input ended inside a probe record: got 20 of 24 header bytes; skipped 20 bytes to "
            "the end of the input");
  EXPECT_EQ(error.skipped, 20u);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(ProbeRecordDecoder, FinishRecoversRecordsBehindAPlausibleCorruptLength) {
  auto bad = encode(record(1, 4));
  bad[22] = std::byte{0x01};  // length 260: plausible, so the decoder waits for it
  std::vector<std::byte> wire = bad;
  append(wire, encode(record(2, 4)));
  EXPECT_TRUE(decode(wire).empty());
  const auto events = decode(wire, AtEnd::kFinish);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(error_at(events, 0).message,
            "input ended inside a probe record: got 64 of 288 bytes; skipped 32 bytes to the "
            "next magic");
  EXPECT_EQ(events[1], Event(record(2, 4)));
}

TEST(ProbeRecordDecoder, FinishReportsTrailingGarbage) {
  std::vector<std::byte> wire = encode(record(1, 4));
  append(wire, bytes("trailing junk"));
  const auto events = decode(wire, AtEnd::kFinish);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(error_at(events, 1).message,
            "expected the probe magic 0xEC0B5E4D; skipped 13 bytes to the end of the input");
}

TEST(ProbeRecordDecoder, CountsUnreportedGarbageInSkippedTotal) {
  ProbeRecordDecoder decoder({.max_payload = 16});
  std::size_t events = 0;
  for (int i = 0; i < 100; ++i) {
    feed_all(decoder, std::vector<std::byte>(1000, std::byte{'g'}), [&](Event) { ++events; });
    ASSERT_LE(decoder.buffered(), decoder.buffer_limit());
  }
  EXPECT_EQ(events, 0u);
  EXPECT_EQ(decoder.skipped_total(), 100'000u);
  feed_all(decoder, encode(record(9, 1)), [&](Event) { ++events; });
  EXPECT_EQ(events, 2u);  // the report of 100000 skipped bytes, then the record
}

TEST(ProbeRecordDecoder, BuffersAtMostOneMaximalRecord) {
  ProbeRecordDecoder decoder({.max_payload = 100});
  EXPECT_EQ(decoder.buffer_limit(), probe_record_size(100));
  auto wire = encode(record(1, 100));
  wire.resize(wire.size() * 3, std::byte{0xEC});
  EXPECT_EQ(decoder.feed(wire), probe_record_size(100));
}

TEST(ProbeRecordDecoder, GivesTheSameEventsHoweverTheInputIsSplit) {
  std::vector<std::byte> wire = bytes({0xEC, 0x0B, 'q'});
  append(wire, encode(record(1, 3)));
  auto bad = encode(record(2, 3));
  bad[30] ^= std::byte{0xFF};
  append(wire, bad);
  append(wire, encode(record(3, 0)));
  auto absurd = encode(record(4, 2));
  absurd[21] = std::byte{0x01};  // length 65538 > 64
  append(wire, absurd);
  append(wire, bytes({0xEC, 0x0B, 0x5E}));
  append(wire, encode(record(5, 64)));
  const auto truncated = encode(record(6, 9));
  append(wire, std::span(truncated).first(30));
  const auto events = expect_chunking_invariant(ProbeRecordDecoder({.max_payload = 64}), wire);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(error_at(events, 0).skipped, 3u);  // EC 0B 'q'
  EXPECT_EQ(events[1], Event(record(1, 3)));
  EXPECT_EQ(error_at(events, 2).kind, DecodeErrorKind::kBadChecksum);
  EXPECT_EQ(error_at(events, 2).skipped, bad.size());
  EXPECT_EQ(events[3], Event(record(3, 0)));
  EXPECT_EQ(error_at(events, 4).kind, DecodeErrorKind::kTooLong);
  EXPECT_EQ(error_at(events, 4).skipped, absurd.size() + 3);  // plus EC 0B 5E
  EXPECT_EQ(events[5], Event(record(5, 64)));
  const auto finished =
      expect_chunking_invariant(ProbeRecordDecoder({.max_payload = 64}), wire, AtEnd::kFinish);
  ASSERT_EQ(finished.size(), 7u);  // plus the truncated record 6
  EXPECT_EQ(error_at(finished, 6).kind, DecodeErrorKind::kTruncated);
  EXPECT_EQ(error_at(finished, 6).skipped, 30u);
}

// Random corruption: every decoded record is one that was sent, in order,
// and every input byte is accounted for as a record, a skip, or buffered.
TEST(ProbeRecordDecoder, AccountsForEveryByteUnderRandomCorruption) {
  std::mt19937 rng(862);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::byte> wire;
    for (std::uint64_t seq = 0; seq < 20; ++seq) append(wire, encode(record(seq, rng() % 40)));
    for (int flips = 0; flips < 5; ++flips) {
      wire[rng() % wire.size()] = static_cast<std::byte>(rng());
      if (rng() % 2) wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(rng() % wire.size()));
    }
    ProbeRecordDecoder decoder({.max_payload = 64});
    std::size_t record_bytes = 0;
    std::int64_t last_sequence = -1;
    feed_all(decoder, wire, [&](Event event) {
      if (auto* r = std::get_if<ProbeRecord>(&event)) {
        EXPECT_EQ(*r, record(r->sequence, r->payload.size()));
        EXPECT_GT(static_cast<std::int64_t>(r->sequence), last_sequence);
        last_sequence = static_cast<std::int64_t>(r->sequence);
        record_bytes += probe_record_size(r->payload.size());
      }
      EXPECT_LE(decoder.buffered(), decoder.buffer_limit());
    });
    EXPECT_EQ(record_bytes + decoder.skipped_total() + decoder.buffered(), wire.size());
  }
}

}  // namespace
}  // namespace echo
