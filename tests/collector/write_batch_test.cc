// A write batch's reads see its own pending writes exactly as the store will
// after the commit: checked against a plain map over random sequences of
// puts, deletes, sighting merges, save points and rollbacks, on top of values
// the store already holds.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "collector/store/sighting_merge.h"
#include "collector/store/software_set.h"
#include "collector/store/store.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

using Model = std::map<std::pair<Table, std::string>, std::string>;

std::string SightingWith(int64_t seen, const std::string& source) {
  v1::Sighting s;
  s.set_first_seen(seen);
  s.set_last_seen(seen);
  s.set_ip("198.51.100." + std::to_string(seen % 250));
  s.add_sources(source);
  return s.SerializeAsString();
}

std::optional<std::string> ModelGet(const Model& model, Table table, const std::string& key) {
  auto it = model.find({table, key});
  if (it == model.end()) return std::nullopt;
  return it->second;
}

void ModelMerge(Model& model, Table table, const std::string& key, const std::string& operand) {
  auto existing = ModelGet(model, table, key);
  std::string merged;
  std::string_view base = existing ? std::string_view(*existing) : std::string_view();
  if (table == Table::kSoftwareCounts) {
    ASSERT_TRUE(MergeCounter(existing ? &base : nullptr, operand, &merged));
  } else {
    ASSERT_TRUE(MergeSightingRecords(existing ? &base : nullptr, operand, &merged));
  }
  model[{table, key}] = merged;
}

std::vector<std::pair<std::string, std::string>> Scanned(WriteBatch& batch, Table table,
                                                         const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  EXPECT_TRUE(batch
                  .Scan(table, prefix,
                        [&](std::string_view k, std::string_view v) {
                          out.emplace_back(k, v);
                          return true;
                        })
                  .ok());
  return out;
}

std::vector<std::pair<std::string, std::string>> ModelScan(const Model& model, Table table,
                                                           const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : model) {
    if (k.first == table && k.second.rfind(prefix, 0) == 0) out.emplace_back(k.second, v);
  }
  return out;
}

// Random operations on `batch`, checked against `model` (which starts as what
// the batch should read and ends as what it holds).
void RandomOperations(WriteBatch& batch, Model& model, std::mt19937& rng, int count) {
  std::vector<Model> saved;  // the model at each open save point
  for (int op = 0; op < count; ++op) {
    const std::string key = "k" + std::to_string(rng() % 400);
    // Counters add up: a merge folded twice would show, where sightings would not.
    const Table tables[] = {Table::kNodes, Table::kSightings, Table::kSoftwareCounts};
    const Table table = tables[rng() % 3];
    switch (rng() % 10) {
      case 0:
      case 1:
      case 2:
        if (table == Table::kSoftwareCounts) {
          const std::string delta = EncodeCounter(static_cast<int64_t>(rng() % 7) - 2);
          if (op % 5 == 0) {
            batch.Put(table, key, delta);
            model[{table, key}] = delta;
          } else {
            batch.Merge(table, key, delta);
            ModelMerge(model, table, key, delta);
          }
        } else if (table == Table::kNodes || op % 4 == 0) {
          // Sightings are put too now and then: later merges fold over that value.
          const std::string value =
              table == Table::kNodes ? "v" + std::to_string(op) : SightingWith(op, "snmp");
          batch.Put(table, key, value);
          model[{table, key}] = value;
        } else {
          const std::string op_value = SightingWith(op, op % 2 ? "dhcp" : "fdb");
          batch.Merge(table, key, op_value);
          ModelMerge(model, table, key, op_value);
        }
        break;
      case 3:
        batch.Delete(table, key);
        model.erase({table, key});
        break;
      case 4:
        if (saved.size() < 3) {
          batch.SetSavePoint();
          saved.push_back(model);
        }
        break;
      case 5:
        if (!saved.empty()) {
          batch.RollbackToSavePoint();
          model = saved.back();
          saved.pop_back();
        }
        break;
      default: {
        auto got = batch.Get(table, key);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        ASSERT_EQ(*got, ModelGet(model, table, key)) << "op " << op << " key " << key;
      }
    }
    if (op % 1000 == 999) {
      const std::string prefix = "k" + std::to_string(rng() % 10);
      ASSERT_EQ(Scanned(batch, Table::kNodes, prefix), ModelScan(model, Table::kNodes, prefix));
      ASSERT_EQ(Scanned(batch, Table::kSightings, prefix),
                ModelScan(model, Table::kSightings, prefix));
      ASSERT_EQ(Scanned(batch, Table::kSoftwareCounts, prefix),
                ModelScan(model, Table::kSoftwareCounts, prefix));
    }
  }
  // Save points left open stay in the batch: their writes are committed.
}

void ExpectStoreHolds(Store& store, const Model& model) {
  for (int i = 0; i < 400; ++i) {
    const std::string key = "k" + std::to_string(i);
    for (Table table : {Table::kNodes, Table::kSightings, Table::kSoftwareCounts}) {
      auto got = store.Get(table, key);
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(*got, ModelGet(model, table, key)) << "key " << key;
    }
  }
}

// A store already holding some keys, and the model of it.
Model Seed(Store& store) {
  Model committed;
  auto batch = store.NewBatch();
  for (int i = 0; i < 300; i += 3) {
    const std::string key = "k" + std::to_string(i);
    batch->Put(Table::kNodes, key, "stored-" + key);
    committed[{Table::kNodes, key}] = "stored-" + key;
    batch->Merge(Table::kSightings, key, SightingWith(i, "arp"));
    ModelMerge(committed, Table::kSightings, key, SightingWith(i, "arp"));
  }
  EXPECT_TRUE(store.Write(*batch).ok());
  return committed;
}

TEST(WriteBatch, ReadsThroughTheBatchMatchTheCommittedStoreUnderRandomOperations) {
  TempDir dir;
  auto opened = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  std::mt19937 rng(7);
  Model committed = Seed(store);
  for (int round = 0; round < 4; ++round) {
    auto batch = store.NewBatch();
    Model model = committed;
    // Enough operations that the index grows several times.
    RandomOperations(*batch, model, rng, 6000);
    ASSERT_TRUE(store.Write(*batch).ok());
    committed = model;
    ExpectStoreHolds(store, committed);
  }
}

// The ingest pipeline applies a group while the one before it is committed.
TEST(WriteBatch, ABatchOverOneBeingCommittedReadsItsWritesOnceBeforeAndAfterTheCommit) {
  TempDir dir;
  auto opened = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  std::mt19937 rng(11);
  Model model = Seed(store);
  std::unique_ptr<WriteBatch> in_flight = store.NewBatch();
  RandomOperations(*in_flight, model, rng, 3000);
  for (int round = 0; round < 4; ++round) {
    auto next = store.NewBatchOver(*in_flight);
    RandomOperations(*next, model, rng, 2000);
    // The batch below lands while `next` is still being applied: its merges
    // must not be folded a second time from the store.
    ASSERT_TRUE(store.Write(*in_flight).ok());
    RandomOperations(*next, model, rng, 2000);
    next->DetachReads();
    in_flight.reset();
    RandomOperations(*next, model, rng, 1000);
    in_flight = std::move(next);
  }
  ASSERT_TRUE(store.Write(*in_flight).ok());
  ExpectStoreHolds(store, model);
}

TEST(WriteBatch, RollbackUndoesEverySinceTheMatchingSavePointOnly) {
  TempDir dir;
  auto store = Store::Open({dir.path() + "/db"});
  ASSERT_TRUE(store.ok());
  auto batch = (*store)->NewBatch();
  batch->Put(Table::kNodes, "a", "1");
  batch->SetSavePoint();
  batch->Put(Table::kNodes, "a", "2");
  batch->Put(Table::kNodes, "b", "2");
  batch->SetSavePoint();
  batch->Delete(Table::kNodes, "a");
  batch->RollbackToSavePoint();
  EXPECT_EQ(batch->Get(Table::kNodes, "a")->value_or("absent"), "2");
  batch->RollbackToSavePoint();
  EXPECT_EQ(batch->Get(Table::kNodes, "a")->value_or("absent"), "1");
  EXPECT_FALSE(batch->Get(Table::kNodes, "b")->has_value());
  EXPECT_EQ(batch->Count(), 1u);
  ASSERT_TRUE((*store)->Write(*batch).ok());
  EXPECT_EQ((*store)->Get(Table::kNodes, "a")->value_or(""), "1");
  EXPECT_FALSE((*store)->Get(Table::kNodes, "b")->has_value());
}

TEST(SightingMerge, KeepsTheEarliestFirstSeenTheLatestLastSeenAndEverySourceOnce) {
  v1::Sighting stored, update;
  stored.set_first_seen(100);
  stored.set_last_seen(200);
  stored.set_ip("198.51.100.7");
  stored.set_vendor("Intel Corporate");
  stored.add_sources("arp");
  update.set_first_seen(150);
  update.set_last_seen(300);
  update.set_ip("198.51.100.9");
  update.add_sources("arp");
  update.add_sources("dhcp");
  FoldSighting(update, &stored);
  EXPECT_EQ(stored.first_seen(), 100);
  EXPECT_EQ(stored.last_seen(), 300);
  EXPECT_EQ(stored.ip(), "198.51.100.9");         // the later observation's address
  EXPECT_EQ(stored.vendor(), "Intel Corporate");  // an empty field never erases
  ASSERT_EQ(stored.sources_size(), 2);
  EXPECT_EQ(stored.sources(1), "dhcp");
  std::string merged;
  std::string_view bad = "\xff\xff";
  EXPECT_FALSE(MergeSightingRecords(&bad, update.SerializeAsString(), &merged));
}

}  // namespace
}  // namespace estate::collector
