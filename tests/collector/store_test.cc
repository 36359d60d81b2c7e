#include "collector/store/store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "collector/store/keys.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

TEST(Store, WritesSurviveReopening) {
  TempDir dir;
  {
    auto store = Store::Open({dir.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto batch = (*store)->NewBatch();
    batch->Put(Table::kAssets, "A-000001", "record");
    batch->Put(Table::kIdentity, IdentityKey("mac", "00:11:22:33:44:55"), "A-000001");
    ASSERT_TRUE((*store)->Write(*batch).ok());
  }
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto value = (*store)->Get(Table::kIdentity, IdentityKey("mac", "00:11:22:33:44:55"));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->value_or(""), "A-000001");
  // Tables are separate: the same key in another table is absent.
  EXPECT_FALSE((*store)->Get(Table::kFacts, "A-000001")->has_value());
}

TEST(Store, BatchReadsSeeTheirOwnPendingWrites) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto batch = (*store)->NewBatch();
  batch->Put(Table::kNodes, "n1", "v1");
  EXPECT_EQ(batch->Get(Table::kNodes, "n1")->value_or(""), "v1");
  EXPECT_FALSE((*store)->Get(Table::kNodes, "n1")->has_value());
  batch->SetSavePoint();
  batch->Put(Table::kNodes, "n2", "v2");
  batch->RollbackToSavePoint();
  EXPECT_FALSE(batch->Get(Table::kNodes, "n2")->has_value());
  ASSERT_TRUE((*store)->Write(*batch).ok());
  EXPECT_EQ((*store)->Get(Table::kNodes, "n1")->value_or(""), "v1");
}

// Batches are reused once destroyed: a reused one must hold nothing of its
// previous life — neither its writes, its save points nor its reads-over.
TEST(Store, AReusedBatchStartsEmpty) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  {
    auto committed = (*store)->NewBatch();
    committed->Put(Table::kNodes, "kept", "stored");
    ASSERT_TRUE((*store)->Write(*committed).ok());
    auto over = (*store)->NewBatchOver(*committed);
    over->Put(Table::kNodes, "dropped", "never written");
    over->Merge(Table::kSoftware, "set", "operand");
    over->SetSavePoint();
    over->Delete(Table::kNodes, "kept");
    EXPECT_FALSE(over->Get(Table::kNodes, "kept")->has_value());
  }  // both destroyed: back to the store's spares
  for (int round = 0; round < 3; ++round) {
    auto batch = (*store)->NewBatch();
    EXPECT_EQ(batch->Count(), 0u);
    EXPECT_FALSE(batch->Get(Table::kNodes, "dropped")->has_value());
    EXPECT_EQ(batch->Get(Table::kNodes, "kept")->value_or(""), "stored");
    auto parts = batch->GetParts(Table::kSoftware, "set");
    ASSERT_TRUE(parts.ok());
    EXPECT_TRUE(parts->empty());
    batch->RollbackToSavePoint();  // none left from before: nothing happens
    EXPECT_EQ(batch->Get(Table::kNodes, "kept")->value_or(""), "stored");
    batch->Put(Table::kNodes, "round", std::to_string(round));
    ASSERT_TRUE((*store)->Write(*batch).ok());
  }
  EXPECT_EQ((*store)->Get(Table::kNodes, "round")->value_or(""), "2");
  EXPECT_FALSE((*store)->Get(Table::kNodes, "dropped")->has_value());
}

TEST(Store, ScanVisitsOnlyThePrefixInKeyOrder) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto batch = (*store)->NewBatch();
  batch->Put(Table::kHistory, HistoryKey("A-1", 200, 0), "second");
  batch->Put(Table::kHistory, HistoryKey("A-1", 100, 0), "first");
  batch->Put(Table::kHistory, HistoryKey("A-10", 50, 0), "other asset");
  ASSERT_TRUE((*store)->Write(*batch).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE((*store)
                  ->Scan(Table::kHistory, HistoryPrefix("A-1"),
                         [&](std::string_view, std::string_view v) {
                           seen.emplace_back(v);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"first", "second"}));
}

TEST(Store, CheckpointIsAnOpenableCopy) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto batch = (*store)->NewBatch();
  batch->Put(Table::kSettings, "k", "v");
  ASSERT_TRUE((*store)->Write(*batch).ok());
  ASSERT_TRUE((*store)->Checkpoint(dir.path() + "/backup").ok());
  auto copy = Store::Open({dir.path() + "/backup"});
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ((*copy)->Get(Table::kSettings, "k")->value_or(""), "v");
}

}  // namespace
}  // namespace estate::collector
