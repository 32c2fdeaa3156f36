#include "reference/server/guard/bounded_table.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace echo::server {
namespace {

struct Value {
  std::int64_t worth = 0;
};

auto by_worth = [](const Value& v) { return v.worth; };

TEST(BoundedTable, FindsWhatWasInserted) {
  BoundedTable<std::uint64_t, Value> table(64, 1);
  EXPECT_EQ(table.find(5), nullptr);
  auto [value, fresh] = table.find_or_insert(5, by_worth);
  EXPECT_TRUE(fresh);
  value->worth = 9;
  auto [again, fresh_again] = table.find_or_insert(5, by_worth);
  EXPECT_FALSE(fresh_again);
  EXPECT_EQ(again, value);
  ASSERT_NE(table.find(5), nullptr);
  EXPECT_EQ(table.find(5)->worth, 9);
}

TEST(BoundedTable, NeverHoldsMoreThanItsCapacity) {
  BoundedTable<std::uint64_t, Value> table(64, 1);
  EXPECT_EQ(table.capacity(), 64u);
  for (std::uint64_t key = 0; key < 10'000; ++key)
    table.find_or_insert(key, by_worth).first->worth = 1;
  int found = 0;
  for (std::uint64_t key = 0; key < 10'000; ++key) found += table.find(key) != nullptr ? 1 : 0;
  EXPECT_EQ(found, 64);
  EXPECT_EQ(table.evictions(), 10'000u - 64u);
}

TEST(BoundedTable, EvictsTheLeastWorthAndReusesWorthlessSlotsFreely) {
  // One set of 8 ways: every key shares it.
  BoundedTable<std::uint64_t, Value, 8> table(8, 1);
  for (std::uint64_t key = 0; key < 8; ++key) {
    table.find_or_insert(key, by_worth).first->worth = key == 3 ? 1 : 100;
  }
  table.find_or_insert(100, by_worth).first->worth = 100;
  EXPECT_EQ(table.find(3), nullptr) << "the least worth went first";
  EXPECT_EQ(table.evictions(), 1u);
  table.find(0)->worth = 0;  // worth nothing: as good as free
  (void)table.find_or_insert(101, by_worth);
  EXPECT_EQ(table.find(0), nullptr);
  EXPECT_EQ(table.evictions(), 1u) << "a worthless entry is not counted as evicted";
}

TEST(BoundedTable, TakesNoMemoryUntilTheFirstInsertion) {
  BoundedTable<std::uint64_t, Value> table(1 << 20, 1);
  EXPECT_EQ(table.find(1), nullptr);  // and no allocation to look
}

TEST(SeededHash, DependsOnTheSeed) {
  const std::uint64_t key = 12345;
  EXPECT_NE(seeded_hash(key, 1), seeded_hash(key, 2));
  EXPECT_EQ(seeded_hash(key, 1), seeded_hash(key, 1));
}

}  // namespace
}  // namespace echo::server
