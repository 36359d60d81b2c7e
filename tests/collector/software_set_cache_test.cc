#include "collector/reconcile/software_set_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace estate::collector {
namespace {

using namespace std::string_view_literals;

// A prepared set of `entries` packages and one operand per title in `upserted`.
std::unique_ptr<PreparedSoftwareSet> SetOf(uint32_t entries, std::vector<uint32_t> upserted = {}) {
  HostSoftware software;
  for (uint32_t t = 1; t <= entries; ++t) software.entries.push_back({t, 0, 1'700'000'000 + t});
  std::vector<std::string> operands;
  for (uint32_t t : upserted) {
    v1::SoftwareSetOps ops;
    auto* u = ops.add_upserts();
    u->set_title(t);
    u->set_version_rank(1);
    operands.push_back(EncodeSoftwareOps(ops));
  }
  auto set = std::make_unique<PreparedSoftwareSet>();
  EXPECT_TRUE(set->Prepare(EncodeSoftwareSet(software), std::move(operands)));
  return set;
}

size_t BytesOfOne(uint32_t entries) {
  SoftwareSetCache cache(1 << 30);
  cache.Put("k0", SetOf(entries));
  return cache.bytes();
}

TEST(SoftwareSetCache, TakeMovesThePartsOutAndCountsHitsAndMisses) {
  SoftwareSetCache cache(1 << 20);
  cache.Put("A-1\0n"sv, SetOf(100, {7, 200}));
  EXPECT_EQ(cache.entries(), 1u);
  auto set = cache.Take("A-1\0n"sv);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->operand_count(), 2u);
  SoftwarePeek peek;
  ASSERT_TRUE(set->Lookup({7, 200}, &peek));
  EXPECT_EQ(peek.count, 101u);
  EXPECT_EQ(cache.Take("A-1\0n"sv), nullptr) << "taken, so gone until put back";
  EXPECT_EQ(cache.Take("A-1"sv), nullptr) << "keys compare whole, NUL included";
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(SoftwareSetCache, PutReplacesTheEntryOfTheSameKey) {
  SoftwareSetCache cache(1 << 20);
  cache.Put("k", SetOf(100));
  const size_t one = cache.bytes();
  cache.Put("k", SetOf(100, {7}));
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_GT(cache.bytes(), one);
  EXPECT_EQ(cache.Take("k")->operand_count(), 1u);
}

TEST(SoftwareSetCache, ASetPutBackLargerEvictsTheLeastRecentlyUsed) {
  const size_t one = BytesOfOne(500);
  SoftwareSetCache cache(one * 9 / 2);
  for (int i = 0; i < 4; ++i) cache.Put("k" + std::to_string(i), SetOf(500));
  // k1 is used: k0 is now the oldest. k1 comes back with more packages.
  ASSERT_NE(cache.Take("k1"), nullptr);
  cache.Put("k1", SetOf(900));
  EXPECT_LE(cache.bytes(), one * 9 / 2);
  EXPECT_EQ(cache.Take("k0"), nullptr);
  for (const char* kept : {"k1", "k2", "k3"}) {
    EXPECT_NE(cache.Take(kept), nullptr) << kept;
  }
}

TEST(SoftwareSetCache, AFullCacheAdmitsAHostItDoesNotHoldOneTimeInSixteen) {
  const size_t one = BytesOfOne(500);
  SoftwareSetCache cache(one * 9 / 2);
  for (int i = 0; i < 4; ++i) cache.Put("k" + std::to_string(i), SetOf(500));
  cache.Put("k0", cache.Take("k0"));  // k1 is now the oldest
  for (int i = 0; i < 15; ++i) cache.Put("new" + std::to_string(i), SetOf(500));
  EXPECT_EQ(cache.entries(), 4u) << "fifteen hosts it did not hold were refused";
  cache.Put("new15", SetOf(500));
  EXPECT_EQ(cache.entries(), 4u);
  EXPECT_LE(cache.bytes(), one * 9 / 2);
  EXPECT_EQ(cache.Take("k1"), nullptr) << "the sixteenth took the oldest one's place";
  for (const char* kept : {"k0", "k2", "k3", "new15"}) {
    EXPECT_NE(cache.Take(kept), nullptr) << kept;
  }
  EXPECT_EQ(cache.Take("new3"), nullptr);
}

TEST(SoftwareSetCache, AnEntryLargerThanTheCacheIsNotKept) {
  SoftwareSetCache cache(BytesOfOne(10) * 2);
  cache.Put("small", SetOf(10));
  cache.Put("huge", SetOf(5'000));
  EXPECT_EQ(cache.Take("huge"), nullptr);
  EXPECT_NE(cache.Take("small"), nullptr) << "nothing evicted for an entry that cannot fit";
}

TEST(SoftwareSetCache, ZeroCapacityCachesNothing) {
  SoftwareSetCache cache(0);
  cache.Put("k", SetOf(10));
  EXPECT_EQ(cache.entries(), 0u);
  EXPECT_EQ(cache.Take("k"), nullptr);
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
  EXPECT_EQ(cache.Take("b"), nullptr);
}

}  // namespace
}  // namespace estate::collector
