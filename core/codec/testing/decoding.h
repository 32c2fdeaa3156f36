// Test helpers shared by the codec tests: byte literals and a driver that
// feeds a decoder in given chunks, checking the memory bound after every step.
//
// Example:
//   std::vector<std::byte> wire = bytes("a\nb\n");
//   auto events = decode_in_chunks(DelimitedDecoder(), wire, {1, 3});  // feeds "a", "\nb", "\n"
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "core/codec/decode_event.h"

namespace echo::testing {

inline std::vector<std::byte> bytes(std::string_view text) {
  std::vector<std::byte> out;
  for (char c : text) out.push_back(static_cast<std::byte>(c));
  return out;
}

inline std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

enum class AtEnd { kWait, kFinish };

// Feeds `data` to `decoder` split at the sorted offsets `cuts`, draining
// next() after every feed (and after finish() with AtEnd::kFinish); returns
// every event in order. Fails the test if buffered() ever exceeds
// buffer_limit().
template <class Decoder>
auto decode_in_chunks(Decoder decoder, std::span<const std::byte> data,
                      const std::vector<std::size_t>& cuts, AtEnd at_end = AtEnd::kWait) {
  std::vector<typename decltype(decoder.next())::value_type> events;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t end = i < cuts.size() ? cuts[i] : data.size();
    feed_all(decoder, data.subspan(begin, end - begin), [&](auto event) {
      EXPECT_LE(decoder.buffered(), decoder.buffer_limit());
      events.push_back(std::move(event));
    });
    EXPECT_LE(decoder.buffered(), decoder.buffer_limit());
    begin = end;
  }
  if (at_end == AtEnd::kFinish) {
    decoder.finish();
    while (auto event = decoder.next()) events.push_back(std::move(*event));
    EXPECT_EQ(decoder.buffered(), 0u) << "finish() left bytes buffered";
  }
  return events;
}

// Sorted random cut points for data of `size` bytes, chunks of 1..max_chunk.
inline std::vector<std::size_t> random_cuts(std::size_t size, std::size_t max_chunk,
                                            std::mt19937& rng) {
  std::vector<std::size_t> cuts;
  std::uniform_int_distribution<std::size_t> chunk(1, max_chunk);
  for (std::size_t at = chunk(rng); at < size; at += chunk(rng)) cuts.push_back(at);
  return cuts;
}

// Checks that `decoder` yields the same events for `data` fed whole, split
// at every single offset, fed one byte at a time, and in random chunkings.
// Returns the events of the whole feed, for the caller to check.
template <class Decoder>
auto expect_chunking_invariant(const Decoder& decoder, std::span<const std::byte> data,
                               AtEnd at_end = AtEnd::kWait) {
  const auto whole = decode_in_chunks(decoder, data, {}, at_end);
  [&] {
    for (std::size_t cut = 0; cut <= data.size(); ++cut) {
      ASSERT_EQ(decode_in_chunks(decoder, data, {cut}, at_end), whole) << "split at " << cut;
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t at = 1; at < data.size(); ++at) every_byte.push_back(at);
    ASSERT_EQ(decode_in_chunks(decoder, data, every_byte, at_end), whole) << "one byte at a time";
    std::mt19937 rng(862);
    for (int round = 0; round < 50; ++round) {
      ASSERT_EQ(decode_in_chunks(decoder, data, random_cuts(data.size(), 17, rng), at_end), whole)
          << "random chunking round " << round;
    }
  }();
  return whole;
}

}  // namespace echo::testing
