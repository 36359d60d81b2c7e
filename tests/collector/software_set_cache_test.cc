#include "collector/reconcile/software_set_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace estate::collector {
namespace {

using namespace std::string_view_literals;

MergeParts SetOf(size_t bytes, std::vector<std::string> operands = {}) {
  MergeParts parts;
  parts.base = std::string(bytes, 'T');
  parts.operands = std::move(operands);
  return parts;
}

TEST(SoftwareSetCache, TakeMovesThePartsOutAndCountsHitsAndMisses) {
  SoftwareSetCache cache(1 << 20);
  cache.Put("A-1\0n"sv, SetOf(100, {"O1", "O2"}));
  EXPECT_EQ(cache.entries(), 1u);
  auto parts = cache.Take("A-1\0n"sv);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->base->size(), 100u);
  EXPECT_EQ(parts->operands, (std::vector<std::string>{"O1", "O2"}));
  EXPECT_FALSE(cache.Take("A-1\0n"sv).has_value()) << "taken, so gone until put back";
  EXPECT_FALSE(cache.Take("A-1"sv).has_value()) << "keys compare whole, NUL included";
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(SoftwareSetCache, PutReplacesTheEntryOfTheSameKey) {
  SoftwareSetCache cache(1 << 20);
  cache.Put("k", SetOf(100));
  const size_t one = cache.bytes();
  cache.Put("k", SetOf(100, {"O1"}));
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_GT(cache.bytes(), one);
  EXPECT_EQ(cache.Take("k")->operands.size(), 1u);
}

TEST(SoftwareSetCache, EvictsTheLeastRecentlyUsedBeyondItsBytes) {
  SoftwareSetCache cache(10'000);
  for (int i = 0; i < 4; ++i) cache.Put("k" + std::to_string(i), SetOf(2'000));
  // k0 is used again: k1 is now the oldest.
  cache.Put("k0", *cache.Take("k0"));
  cache.Put("k4", SetOf(2'000));
  EXPECT_LE(cache.bytes(), 10'000u);
  EXPECT_EQ(cache.entries(), 4u);
  EXPECT_FALSE(cache.Take("k1").has_value());
  for (const char* kept : {"k0", "k2", "k3", "k4"}) {
    EXPECT_TRUE(cache.Take(kept).has_value()) << kept;
  }
}

TEST(SoftwareSetCache, AnEntryLargerThanTheCacheIsNotKept) {
  SoftwareSetCache cache(1'000);
  cache.Put("small", SetOf(100));
  cache.Put("huge", SetOf(5'000));
  EXPECT_FALSE(cache.Take("huge").has_value());
  EXPECT_TRUE(cache.Take("small").has_value()) << "nothing evicted for an entry that cannot fit";
}

TEST(SoftwareSetCache, ZeroCapacityCachesNothing) {
  SoftwareSetCache cache(0);
  cache.Put("k", SetOf(10));
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_FALSE(cache.Take("k").has_value());
}

TEST(SoftwareSetCache, EraseAndClearForgetEntries) {
  SoftwareSetCache cache(1 << 20);
  cache.Put("a", SetOf(10));
  cache.Put("b", SetOf(10));
  cache.Erase("a");
  cache.Erase("missing");
  EXPECT_EQ(cache.entries(), 1u);
  cache.Clear();
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_FALSE(cache.Take("b").has_value());
}

}  // namespace
}  // namespace estate::collector
