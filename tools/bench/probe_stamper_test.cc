#include "tools/bench/probe_stamper.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "core/codec/probe_record.h"

namespace echo::bench {
namespace {

TEST(ProbeStamper, MatchesEncodeProbeRecordForManySizes) {
  std::mt19937_64 random(7);
  for (std::size_t size : {28u, 29u, 64u, 100u, 1500u, 65536u}) {
    ProbeStamper stamper(payload_for_size(size));
    ASSERT_EQ(stamper.record_size(), size);
    std::vector<std::byte> slot(size);
    stamper.fill(slot);
    for (int i = 0; i < 20; ++i) {
      const std::uint64_t sequence = random(), time = random();
      stamper.stamp(slot, sequence, time);
      std::vector<std::byte> expected;
      const auto payload = stamper.payload();
      encode_probe_record(expected, {.sequence = sequence,
                                     .send_time_ns = time,
                                     .payload = {payload.begin(), payload.end()}});
      ASSERT_EQ(slot, expected) << "record size " << size;
      EXPECT_TRUE(stamper.is_intact(slot));
      EXPECT_EQ(record_sequence(slot), sequence);
      EXPECT_EQ(record_time(slot), time);
    }
  }
}

TEST(ProbeStamper, DecoderAcceptsStampedRecords) {
  ProbeStamper stamper(payload_for_size(92));
  std::vector<std::byte> slot(92);
  stamper.fill(slot);
  stamper.stamp(slot, 5, 123456789);
  ProbeRecordDecoder decoder;
  ASSERT_EQ(decoder.feed(slot), slot.size());
  auto event = decoder.next();
  ASSERT_TRUE(event);
  const auto* record = std::get_if<ProbeRecord>(&*event);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->sequence, 5u);
  EXPECT_EQ(record->send_time_ns, 123456789u);
}

TEST(ProbeStamper, AnyFlippedByteIsNoticed) {
  ProbeStamper stamper(payload_for_size(64));
  std::vector<std::byte> slot(64);
  stamper.fill(slot);
  stamper.stamp(slot, 1, 2);
  for (std::size_t i = 0; i < slot.size(); ++i) {
    auto damaged = slot;
    damaged[i] ^= std::byte{0x10};
    EXPECT_FALSE(stamper.is_intact(damaged)) << "byte " << i;
  }
  EXPECT_FALSE(stamper.is_intact(std::span(slot).first(63)));
}

}  // namespace
}  // namespace echo::bench
