#include "core/buffer/ring_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string_view>
#include <vector>

namespace echo {
namespace {

std::vector<std::byte> bytes(std::string_view text) {
  std::vector<std::byte> out;
  for (char c : text) out.push_back(static_cast<std::byte>(c));
  return out;
}

std::vector<std::byte> to_vector(std::span<const std::byte> span) {
  return std::vector<std::byte>(span.begin(), span.end());
}

// Everything readable, in order, across both regions.
std::vector<std::byte> contents(const RingBuffer& buffer) {
  std::vector<std::byte> out;
  for (std::span<const std::byte> region : buffer.readable_regions()) {
    out.insert(out.end(), region.begin(), region.end());
  }
  return out;
}

// Leaves `buffer` (capacity 8) holding "efgh" stored at indexes 6, 7, 0, 1.
void fill_wrapped(RingBuffer& buffer) {
  ASSERT_EQ(buffer.write(bytes("abcdef")), 6u);
  buffer.consume(4);  // "ef" at 4..5
  ASSERT_EQ(buffer.write(bytes("gh")), 2u);
  ASSERT_EQ(buffer.write(bytes("ij")), 2u);  // wraps to 0..1
  buffer.consume(2);
  // now "ghij": g,h at 6..7 and i,j at 0..1
}

TEST(RingBuffer, StartsEmptyWithNoStorage) {
  RingBuffer buffer(16);
  EXPECT_TRUE(buffer.empty());
  EXPECT_FALSE(buffer.full());
  EXPECT_EQ(buffer.capacity(), 16u);
  EXPECT_EQ(buffer.free_space(), 16u);
  EXPECT_EQ(buffer.allocated(), 0u);
  EXPECT_TRUE(buffer.readable().empty());
}

TEST(RingBuffer, AllocatesOnFirstWriteAndReleasesWhenDrained) {
  RingBuffer buffer(16);
  EXPECT_EQ(buffer.write(bytes("abc")), 3u);
  EXPECT_EQ(buffer.allocated(), 16u);
  buffer.consume(2);
  EXPECT_EQ(buffer.allocated(), 16u);
  buffer.consume(1);
  EXPECT_EQ(buffer.allocated(), 0u);
  // After draining, writing starts again at the front: one contiguous region.
  EXPECT_EQ(buffer.writable().size(), 16u);
}

TEST(RingBuffer, CommitOfNothingAfterWritableReleasesStorage) {
  RingBuffer buffer(16);
  EXPECT_EQ(buffer.writable().size(), 16u);
  EXPECT_EQ(buffer.allocated(), 16u);
  buffer.commit(0);  // e.g. recv() returned 0
  EXPECT_EQ(buffer.allocated(), 0u);
}

TEST(RingBuffer, WriteOfNothingDoesNotAllocate) {
  RingBuffer buffer(16);
  EXPECT_EQ(buffer.write({}), 0u);
  EXPECT_EQ(buffer.allocated(), 0u);
}

TEST(RingBuffer, ZeroCapacityIsAlwaysFullAndEmpty) {
  RingBuffer buffer(0);
  EXPECT_TRUE(buffer.full());
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(buffer.writable().empty());
  EXPECT_EQ(buffer.write(bytes("a")), 0u);
  buffer.consume(0);
  EXPECT_EQ(buffer.allocated(), 0u);
}

TEST(RingBuffer, WritableAndCommitAppendInPlace) {
  RingBuffer buffer(8);
  std::span<std::byte> space = buffer.writable();
  ASSERT_EQ(space.size(), 8u);
  space[0] = std::byte{'x'};
  space[1] = std::byte{'y'};
  buffer.commit(2);
  EXPECT_EQ(to_vector(buffer.readable()), bytes("xy"));
  EXPECT_EQ(buffer.writable().size(), 6u);
}

TEST(RingBuffer, SignalsFullAndStopsTakingBytes) {
  RingBuffer buffer(4);
  EXPECT_EQ(buffer.write(bytes("abcdef")), 4u);
  EXPECT_TRUE(buffer.full());
  EXPECT_EQ(buffer.free_space(), 0u);
  EXPECT_TRUE(buffer.writable().empty());
  EXPECT_TRUE(buffer.writable_regions()[0].empty());
  EXPECT_TRUE(buffer.writable_regions()[1].empty());
  EXPECT_EQ(buffer.write(bytes("g")), 0u);
  EXPECT_EQ(contents(buffer), bytes("abcd"));
}

TEST(RingBuffer, ReadableIsTheContiguousRunBeforeTheWrap) {
  RingBuffer buffer(8);
  fill_wrapped(buffer);
  EXPECT_EQ(buffer.size(), 4u);
  EXPECT_EQ(to_vector(buffer.readable()), bytes("gh"));
  const auto regions = buffer.readable_regions();
  EXPECT_EQ(to_vector(regions[0]), bytes("gh"));
  EXPECT_EQ(to_vector(regions[1]), bytes("ij"));
  buffer.consume(2);
  EXPECT_EQ(to_vector(buffer.readable()), bytes("ij"));
}

TEST(RingBuffer, WritableIsTheContiguousFreeRunAtTheTail) {
  RingBuffer buffer(8);
  ASSERT_EQ(buffer.write(bytes("abcdef")), 6u);
  buffer.consume(3);  // "def" at 3..5; free 6..7 then 0..2
  EXPECT_EQ(buffer.writable().size(), 2u);
  const auto regions = buffer.writable_regions();
  EXPECT_EQ(regions[0].size(), 2u);
  EXPECT_EQ(regions[1].size(), 3u);
  EXPECT_EQ(regions[0].data() + 2, regions[1].data() + 8);  // regions[1] is the front
}

TEST(RingBuffer, FreeSpaceWhenWrappedIsOneRegion) {
  RingBuffer buffer(8);
  fill_wrapped(buffer);  // data at 6..7 and 0..1: free 2..5
  const auto regions = buffer.writable_regions();
  EXPECT_EQ(regions[0].size(), 4u);
  EXPECT_TRUE(regions[1].empty());
}

TEST(RingBuffer, WriteAndReadCopyAcrossTheWrap) {
  RingBuffer buffer(8);
  ASSERT_EQ(buffer.write(bytes("abcdef")), 6u);
  std::vector<std::byte> out(4);
  ASSERT_EQ(buffer.read(out), 4u);
  EXPECT_EQ(out, bytes("abcd"));
  EXPECT_EQ(buffer.write(bytes("ghijkl")), 6u);  // wraps
  EXPECT_TRUE(buffer.full());
  std::vector<std::byte> all(20);
  ASSERT_EQ(buffer.read(all), 8u);
  all.resize(8);
  EXPECT_EQ(all, bytes("efghijkl"));
  EXPECT_EQ(buffer.allocated(), 0u);
}

TEST(RingBuffer, ReadvWritevRegionsFillTheBufferExactly) {
  RingBuffer buffer(8);
  ASSERT_EQ(buffer.write(bytes("abcdef")), 6u);
  buffer.consume(5);  // "f" at 5
  // Fill both free regions as a readv() would, then commit each.
  auto regions = buffer.writable_regions();
  const std::size_t first = regions[0].size();
  std::fill(regions[0].begin(), regions[0].end(), std::byte{'1'});
  std::fill(regions[1].begin(), regions[1].end(), std::byte{'2'});
  buffer.commit(first);
  buffer.commit(buffer.writable().size());
  EXPECT_TRUE(buffer.full());
  EXPECT_EQ(contents(buffer), bytes("f1122222"));
}

TEST(RingBufferDeathTest, CommitBeyondWritableAborts) {
  RingBuffer buffer(4);
  (void)buffer.writable();
  EXPECT_DEATH(buffer.commit(5), "RingBuffer::commit\\(\\) of more than writable\\(\\) gave");
}

TEST(RingBufferDeathTest, ConsumeBeyondSizeAborts) {
  RingBuffer buffer(4);
  ASSERT_EQ(buffer.write(bytes("ab")), 2u);
  EXPECT_DEATH(buffer.consume(3), "RingBuffer::consume\\(\\) of more than is stored");
}

TEST(RingBuffer, MovesKeepTheContents) {
  RingBuffer buffer(8);
  ASSERT_EQ(buffer.write(bytes("abc")), 3u);
  RingBuffer moved = std::move(buffer);
  EXPECT_EQ(contents(moved), bytes("abc"));
}

// Random operations checked against a std::deque model.
TEST(RingBuffer, MatchesADequeUnderRandomOperations) {
  std::mt19937 rng(862);
  for (std::size_t capacity : {1, 2, 7, 64}) {
    RingBuffer buffer(capacity);
    std::deque<std::byte> model;
    std::uint8_t next_value = 0;
    for (int step = 0; step < 20000; ++step) {
      const std::size_t n = rng() % (capacity + 2);
      switch (rng() % 4) {
        case 0: {  // write()
          std::vector<std::byte> data(n);
          for (auto& b : data) b = static_cast<std::byte>(next_value++);
          const std::size_t taken = buffer.write(data);
          ASSERT_EQ(taken, std::min(n, capacity - model.size()));
          model.insert(model.end(), data.begin(),
                       data.begin() + static_cast<std::ptrdiff_t>(taken));
          break;
        }
        case 1: {  // writable() + commit()
          std::span<std::byte> space = buffer.writable();
          const std::size_t k = std::min(n, space.size());
          for (std::size_t i = 0; i < k; ++i) {
            space[i] = static_cast<std::byte>(next_value++);
            model.push_back(space[i]);
          }
          buffer.commit(k);
          break;
        }
        case 2: {  // read()
          std::vector<std::byte> out(n);
          const std::size_t got = buffer.read(out);
          ASSERT_EQ(got, std::min(n, model.size()));
          for (std::size_t i = 0; i < got; ++i) {
            ASSERT_EQ(out[i], model.front());
            model.pop_front();
          }
          break;
        }
        default: {  // readable() + consume()
          std::span<const std::byte> data = buffer.readable();
          const std::size_t k = std::min(n, data.size());
          for (std::size_t i = 0; i < k; ++i) {
            ASSERT_EQ(data[i], model.front());
            model.pop_front();
          }
          buffer.consume(k);
          break;
        }
      }
      ASSERT_EQ(buffer.size(), model.size());
      ASSERT_EQ(buffer.full(), model.size() == capacity);
      ASSERT_EQ(buffer.allocated() == 0, model.empty()) << "step " << step;
      ASSERT_EQ(contents(buffer), std::vector<std::byte>(model.begin(), model.end()));
    }
  }
}

}  // namespace
}  // namespace echo
