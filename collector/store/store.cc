#include "collector/store/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <filesystem>

#include "collector/store/rocks_logger.h"
#include "collector/store/rocksdb_status.h"
#include "collector/store/sighting_merge.h"
#include "estate/logging.h"

namespace estate::collector {

const char* TableName(Table table) {
  switch (table) {
    case Table::kAssets:
      return "assets";
    case Table::kIdentity:
      return "identity";
    case Table::kFacts:
      return "facts";
    case Table::kHistory:
      return "history";
    case Table::kNodes:
      return "nodes";
    case Table::kSightings:
      return "sightings";
    case Table::kSettings:
      return "settings";
    case Table::kEvents:
      return "events";
    case Table::kFindings:
      return "findings";
    case Table::kBaselines:
      return "baselines";
    case Table::kPolicy:
      return "policy";
  }
  return "unknown";
}

struct Store::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // index = Table; [kTableCount] = default
  std::shared_ptr<rocksdb::Cache> cache;

  rocksdb::ColumnFamilyHandle* cf(Table t) { return handles[static_cast<size_t>(t)]; }

  ~Impl() {
    if (db) {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close();
    }
  }
};

namespace {

// Sightings are folded in by merge (sighting_merge.h): no read per observation.
class SightingMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    std::string_view base;
    if (existing != nullptr) base = std::string_view(existing->data(), existing->size());
    return MergeSightingRecords(existing != nullptr ? &base : nullptr,
                                std::string_view(value.data(), value.size()), new_value);
  }
  const char* Name() const override { return "estate.SightingMerge"; }
};

// Per-table options: the identity index is point-looked-up on every report and
// every `estatectl show`, so it gets a bloom filter; history is append-mostly
// and read by prefix, facts are large values: both compress harder.
rocksdb::ColumnFamilyOptions TableOptions(Table table,
                                          const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions bbt;
  bbt.block_cache = cache;
  bbt.cache_index_and_filter_blocks = true;
  bbt.pin_l0_filter_and_index_blocks_in_cache = true;
  bbt.format_version = 5;
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  switch (table) {
    case Table::kSightings:
      cf.merge_operator = std::make_shared<SightingMergeOperator>();
      [[fallthrough]];
    case Table::kIdentity:
    case Table::kNodes:
    case Table::kAssets:
      bbt.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      bbt.whole_key_filtering = true;
      // Ingest asks these tables for keys that are often absent (a new
      // address, a new device): a memtable bloom answers without a search.
      cf.memtable_prefix_bloom_size_ratio = 0.05;
      cf.memtable_whole_key_filtering = true;
      break;
    case Table::kFacts:
    case Table::kHistory:
      bbt.block_size = 16 * 1024;
      break;
    case Table::kBaselines:
    case Table::kFindings:
      bbt.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      break;
    case Table::kEvents:
      bbt.block_size = 16 * 1024;
      break;
    case Table::kSettings:
    case Table::kPolicy:
      break;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(bbt));
  return cf;
}

}  // namespace

struct WriteBatch::Impl {
  Store* store;
  rocksdb::WriteBatchWithIndex batch{rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true};
};

Store::Store(std::string path) : path_(std::move(path)), impl_(std::make_unique<Impl>()) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.create_if_missing) {
    // RocksDB would create it too, but only after logging an error about it.
    std::error_code ignored;
    std::filesystem::create_directories(options.path, ignored);
  }
  std::unique_ptr<Store> store(new Store(options.path));
  Impl& impl = *store->impl_;
  impl.cache = rocksdb::NewLRUCache(options.block_cache_bytes);

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;
  db_options.max_total_wal_size = 256u << 20;
  db_options.info_log_level = rocksdb::WARN_LEVEL;
  // No LOG file in the store: it must not live on the file system that may fill up.
  db_options.info_log = std::make_shared<RocksLogger>(GetLogger("collector.store"));

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int i = 0; i < kTableCount; ++i) {
    auto table = static_cast<Table>(i);
    descriptors.emplace_back(TableName(table), TableOptions(table, impl.cache));
  }
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());

  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, descriptors, &impl.handles, &raw);
  if (!s.ok()) return FromRocks(s).WithContext("opening inventory store " + options.path);
  impl.db.reset(raw);
  return store;
}

Result<std::optional<std::string>> Store::Get(Table table, std::string_view key) {
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(table),
                                     rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

Status Store::Scan(Table table, std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf(table)));
  const rocksdb::Slice p(prefix.data(), prefix.size());
  for (it->Seek(p); it->Valid() && it->key().starts_with(p); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status());
}

Status Store::ScanFrom(Table table, std::string_view start,
                       const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf(table)));
  for (it->Seek(rocksdb::Slice(start.data(), start.size())); it->Valid(); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status());
}

Result<std::optional<std::string>> Store::LastKey(Table table) {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(table)));
  it->SeekToLast();
  ESTATE_RETURN_IF_ERROR(FromRocks(it->status()));
  if (!it->Valid()) return std::optional<std::string>();
  return std::optional<std::string>(it->key().ToString());
}

std::unique_ptr<WriteBatch> Store::NewBatch() {
  return std::unique_ptr<WriteBatch>(new WriteBatch(this));
}

Status Store::Write(WriteBatch& batch, bool sync) {
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  return FromRocks(impl_->db->Write(write_options, batch.impl_->batch.GetWriteBatch()));
}

Status Store::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(impl_->db.get(), &raw);
  if (!s.ok()) return FromRocks(s);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir)).WithContext("checkpoint to " + dir);
}

uint64_t Store::DiskBytes() {
  uint64_t total = 0;
  for (int i = 0; i < kTableCount; ++i) {
    uint64_t v = 0;
    if (impl_->db->GetIntProperty(impl_->cf(static_cast<Table>(i)),
                                  rocksdb::DB::Properties::kTotalSstFilesSize, &v)) {
      total += v;
    }
  }
  rocksdb::VectorLogPtr wal_files;
  if (impl_->db->GetSortedWalFiles(wal_files).ok()) {
    for (const auto& f : wal_files) total += f->SizeFileBytes();
  }
  return total;
}

uint64_t Store::EstimateKeys(Table table) {
  uint64_t v = 0;
  impl_->db->GetIntProperty(impl_->cf(table), rocksdb::DB::Properties::kEstimateNumKeys, &v);
  return v;
}

Status Store::Resume() { return FromRocks(impl_->db->Resume()); }

WriteBatch::WriteBatch(Store* store) : impl_(std::make_unique<Impl>()) { impl_->store = store; }
WriteBatch::~WriteBatch() = default;

void WriteBatch::Put(Table table, std::string_view key, std::string_view value) {
  impl_->batch.Put(impl_->store->impl_->cf(table), rocksdb::Slice(key.data(), key.size()),
                   rocksdb::Slice(value.data(), value.size()));
}

void WriteBatch::Merge(Table table, std::string_view key, std::string_view value) {
  impl_->batch.Merge(impl_->store->impl_->cf(table), rocksdb::Slice(key.data(), key.size()),
                     rocksdb::Slice(value.data(), value.size()));
}

void WriteBatch::Delete(Table table, std::string_view key) {
  impl_->batch.Delete(impl_->store->impl_->cf(table), rocksdb::Slice(key.data(), key.size()));
}

Result<std::optional<std::string>> WriteBatch::Get(Table table, std::string_view key) {
  std::string value;
  auto& store = *impl_->store->impl_;
  rocksdb::Status s =
      impl_->batch.GetFromBatchAndDB(store.db.get(), rocksdb::ReadOptions(), store.cf(table),
                                     rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

Status WriteBatch::Scan(Table table, std::string_view prefix,
                        const std::function<bool(std::string_view, std::string_view)>& fn) {
  auto& store = *impl_->store->impl_;
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->batch.NewIteratorWithBase(
      store.cf(table), store.db->NewIterator(read_options, store.cf(table))));
  const rocksdb::Slice p(prefix.data(), prefix.size());
  for (it->Seek(p); it->Valid() && it->key().starts_with(p); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status());
}

void WriteBatch::SetSavePoint() { impl_->batch.SetSavePoint(); }
void WriteBatch::RollbackToSavePoint() { (void)impl_->batch.RollbackToSavePoint(); }
size_t WriteBatch::ByteSize() const { return impl_->batch.GetWriteBatch()->GetDataSize(); }
size_t WriteBatch::Count() const { return impl_->batch.GetWriteBatch()->Count(); }

}  // namespace estate::collector
