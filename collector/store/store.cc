#include "collector/store/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <sys/statvfs.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>

#include "collector/store/pending_writes.h"
#include "collector/store/private_dir.h"
#include "collector/store/rocks_logger.h"
#include "collector/store/rocksdb_status.h"
#include "collector/store/sighting_merge.h"
#include "collector/store/software_set.h"
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
    case Table::kSoftware:
      return "software";
    case Table::kCatalogue:
      return "catalogue";
    case Table::kSoftwareCounts:
      return "software_counts";
  }
  return "unknown";
}

struct Store::Impl {
  // One open RocksDB instance and its table handles.
  struct Db {
    std::unique_ptr<rocksdb::DB> db;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;  // index = Table; [kTableCount] = default
    bool read_only = false;

    rocksdb::ColumnFamilyHandle* cf(Table t) const { return handles[static_cast<size_t>(t)]; }
    rocksdb::DB* operator->() const { return db.get(); }
    ~Db() {
      if (db) {
        for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
        db->Close();
      }
    }
  };
  // The instance a call uses, kept open for the call (or a batch's snapshot)
  // even if Resume replaces it meanwhile. `hold` is set only when it may be
  // replaced: a store opened for writing never is, and pays nothing for it.
  struct Ref {
    Db* db = nullptr;
    std::shared_ptr<Db> hold;
    Db* operator->() const { return db; }
  };

  std::shared_ptr<Db> live;
  // Set once, at Open, when the store was opened read-only: only then may
  // Resume replace `live`, and only then is it read under `live_mu`.
  bool may_reopen = false;
  std::mutex live_mu;
  std::shared_ptr<rocksdb::Cache> cache;
  std::array<std::atomic<uint64_t>, kTableCount> writes{};
  // What Open used, for reopening read-write.
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  // RocksDB stopped writes after a write error (its listener says so), or
  // the last Write failed; until a write succeeds again.
  std::atomic<bool> writes_failing{false};
  // Resume's pacing (docs/architecture.md, "Durability and faults").
  std::mutex resume_mu;
  std::chrono::steady_clock::time_point last_resume_try;
  bool resume_failed = false;
  uint64_t free_at_failed_resume = 0;

  Ref Use() {
    if (!may_reopen) return {live.get(), nullptr};
    std::lock_guard lock(live_mu);
    return {live.get(), live};
  }
  // Opens the store for writing and makes that instance `live`.
  Status OpenForWriting(const std::string& path);
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

// A node's packages take upserts and removals as merge operands
// (software_set.h): decoded once, every operand applied, encoded once.
class SoftwareSetMergeOperator : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    HostSoftware software;
    if (in.existing_value != nullptr &&
        !DecodeSoftwareSet(std::string_view(in.existing_value->data(), in.existing_value->size()),
                           &software)) {
      return false;
    }
    v1::SoftwareSetOps ops;
    for (const rocksdb::Slice& operand : in.operand_list) {
      if (!DecodeSoftwareOps(std::string_view(operand.data(), operand.size()), &ops)) return false;
      ApplySoftwareOps(ops, &software);
    }
    out->new_value = EncodeSoftwareSet(software);
    return true;
  }
  const char* Name() const override { return "estate.SoftwareSetMerge"; }
};

// Install counters add up, so RocksDB may combine operands early.
class CounterMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    std::string_view base;
    if (existing != nullptr) base = std::string_view(existing->data(), existing->size());
    return MergeCounter(existing != nullptr ? &base : nullptr,
                        std::string_view(value.data(), value.size()), new_value);
  }
  const char* Name() const override { return "estate.CounterAdd"; }
};

// The merge function of a table with a merge operator (read-your-writes folds
// pending operands with it); nullptr for the others.
PendingWrites::MergeFn MergeFnFor(Table table) {
  switch (table) {
    case Table::kSightings:
      return &MergeSightingRecords;
    case Table::kSoftware:
      return &MergeSoftwareSet;
    case Table::kSoftwareCounts:
      return &MergeCounter;
    default:
      return nullptr;
  }
}

uint8_t TableByte(Table table) { return static_cast<uint8_t>(table); }

// The asset id of a history key (everything up to and including its NUL):
// each asset's entries are written in time order, so the memtable can insert
// the next one where it put the last instead of searching from the top.
class HistoryAssetPrefix : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "estate.HistoryAssetPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* nul = std::memchr(key.data(), '\0', key.size());
    return rocksdb::Slice(key.data(), static_cast<const char*>(nul) - key.data() + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), '\0', key.size()) != nullptr;
  }
};

// Scans: key order across every table, whatever its prefix extractor, and no
// cache pollution by admin queries.
rocksdb::ReadOptions ScanOptions() {
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  options.total_order_seek = true;
  return options;
}

// Tells the store when RocksDB stops writes after a background error, and
// keeps RocksDB from recovering from a full disk by itself: its recovery
// waits for a free reserve of the largest memtable (64 MiB), more than a small
// volume can ever give, and meanwhile refuses DB::Resume() as busy. The store
// resumes instead (Store::Resume) as soon as the flush fits.
class ErrorListener : public rocksdb::EventListener {
 public:
  explicit ErrorListener(std::atomic<bool>* writes_failing) : writes_failing_(writes_failing) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error != nullptr && !error->ok()) writes_failing_->store(true);
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }

 private:
  std::atomic<bool>* writes_failing_;
};

// Bytes free for an unprivileged writer on the file system holding `path`.
uint64_t FreeBytes(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

// Per-table options (docs/architecture.md, "Storage tuning" says why).
rocksdb::ColumnFamilyOptions TableOptions(Table table,
                                          const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions bbt;
  bbt.block_cache = cache;
  // Index and filter blocks live in the bounded cache, in its high-priority
  // part, so large data blocks cannot push them out: a point lookup that must
  // reload a filter block first costs more than the lookup.
  bbt.cache_index_and_filter_blocks = true;
  bbt.cache_index_and_filter_blocks_with_high_priority = true;
  bbt.pin_l0_filter_and_index_blocks_in_cache = true;
  bbt.format_version = 5;
  // Debian's RocksDB is built portable, without SSE 4.2, so CRC32c runs in
  // software: XXH3 checks each block for a fraction of that in every flush,
  // compaction and block read. Each file records its own checksum type, so
  // files written before stay readable.
  bbt.checksum = rocksdb::kXXH3;
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  cf.level_compaction_dynamic_level_bytes = true;
  // Four 32 MiB memtables rather than two of 64 MiB: the same bound per table,
  // but a memtable filling while earlier ones are still being flushed (two
  // busy cores) slows writes before it stops them, and each flush is shorter.
  cf.write_buffer_size = 32u << 20;
  cf.max_write_buffer_number = 4;
  auto point_lookups = [&](bool hash_memtable) {
    bbt.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    bbt.whole_key_filtering = true;
    bbt.optimize_filters_for_memory = true;
    // These tables grow with the fleet: partitioned index and filters keep
    // only the top level pinned, the partitions cached like data.
    bbt.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
    bbt.partition_filters = true;
    bbt.pin_top_level_index_and_filter = true;
    if (hash_memtable) {
      // Ingest reads these tables by exact key only, several times per
      // report or sighting, and most keys it asks for were written moments
      // ago: a hash-indexed memtable answers in one bucket where a skiplist
      // walks twenty levels. The "prefix" is the whole key (up to 64 bytes),
      // so each key has its own bucket; iterators ask for total order.
      cf.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(64));
      cf.memtable_factory.reset(rocksdb::NewHashLinkListRepFactory(1u << 18));
      // Keys often absent (a new address, a new device): a memtable bloom
      // answers without a search.
      cf.memtable_prefix_bloom_size_ratio = 0.05;
      cf.memtable_whole_key_filtering = true;
    }
  };
  // Records that are alike from host to host (package sets, users, units,
  // PCI devices of one model) compress against a dictionary trained per file
  // at the bottom level, where nearly all of the data ends up.
  auto dictionary = [&](int block_kb) {
    bbt.block_size = static_cast<size_t>(block_kb) * 1024;
    cf.bottommost_compression_opts.enabled = true;
    cf.bottommost_compression_opts.max_dict_bytes = 32 * 1024;
    cf.bottommost_compression_opts.zstd_max_train_bytes = 32 * 100 * 1024;
    // Samples finalized into a dictionary rather than zstd's full trainer,
    // whose CPU in every bottom-level compaction cost ~7 % of the delta
    // rate for 2 % less on disk.
    cf.bottommost_compression_opts.use_zstd_dict_trainer = false;
  };
  switch (table) {
    case Table::kSightings:
      cf.merge_operator = std::make_shared<SightingMergeOperator>();
      point_lookups(true);
      break;
    case Table::kIdentity:
    case Table::kNodes:
    case Table::kAssets:
      point_lookups(true);
      break;
    case Table::kSoftware:
      cf.merge_operator = std::make_shared<SoftwareSetMergeOperator>();
      point_lookups(false);
      dictionary(16);
      break;
    case Table::kFacts:
      // Read by prefix (a node's sections): by `show`, and by a delta only when
      // it changes a tracked field.
      dictionary(32);
      break;
    case Table::kHistory:
    case Table::kEvents:
      bbt.block_size = 16 * 1024;
      // Appended in key order (events) or in time order per asset (history):
      // a hint per prefix saves the memtable's search down its levels.
      cf.memtable_insert_with_hint_prefix_extractor =
          table == Table::kEvents
              ? std::shared_ptr<const rocksdb::SliceTransform>(rocksdb::NewFixedPrefixTransform(0))
              : std::make_shared<HistoryAssetPrefix>();
      break;
    case Table::kBaselines:
    case Table::kFindings:
      bbt.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      break;
    case Table::kSoftwareCounts:
      cf.merge_operator = std::make_shared<CounterMergeOperator>();
      break;
    case Table::kSettings:
    case Table::kPolicy:
    case Table::kCatalogue:
      break;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(bbt));
  return cf;
}

}  // namespace

struct WriteBatch::Impl {
  Store* store;
  rocksdb::WriteBatch batch;
  PendingWrites pending{&batch.Data()};        // what `batch` holds, for reads through it
  std::array<uint32_t, kTableCount> writes{};  // keys written per table
  // Set by NewBatchOver: reads go through `below`'s writes, then the store as
  // `snapshot` saw it (before `below` was written).
  WriteBatch* below = nullptr;
  const rocksdb::Snapshot* snapshot = nullptr;

  ~Impl() { ReleaseSnapshot(); }
  // The instance `snapshot` belongs to (Store::Resume may replace the store's meanwhile).
  Store::Impl::Ref snapshot_db;

  void ReleaseSnapshot() {
    if (snapshot != nullptr) snapshot_db->db->ReleaseSnapshot(snapshot);
    snapshot = nullptr;
    snapshot_db = {};
  }
  // Where reads under the batches go: an instance, and a snapshot of it or nullptr.
  struct At {
    const Store::Impl::Db* db;
    const rocksdb::Snapshot* snapshot;
  };
  // The value of `key` under this batch's writes: `below`'s writes, then the
  // store read at `at`.
  Result<std::optional<std::string>> GetUnder(Table table, std::string_view key, const At& at);
  // This batch's value of `key` over `at`.
  Result<std::optional<std::string>> GetOver(Table table, std::string_view key, const At& at);
  // The same, unmerged.
  Result<MergeParts> PartsUnder(Table table, std::string_view key, const At& at);
  Result<MergeParts> PartsOver(Table table, std::string_view key, const At& at);

  // Where the key and value of the record `batch` just appended are. Every
  // record ends with varint32(key size) key [varint32(value size) value].
  PendingWrites::Span LastValue(size_t value_size) const {
    const size_t end = batch.GetDataSize();
    return {static_cast<uint32_t>(end - value_size), static_cast<uint32_t>(value_size)};
  }
  PendingWrites::Span LastKey(size_t key_size, size_t value_size, bool has_value) const {
    size_t end = batch.GetDataSize();
    if (has_value) end -= value_size + VarintLength(value_size);
    return {static_cast<uint32_t>(end - key_size), static_cast<uint32_t>(key_size)};
  }
  static size_t VarintLength(size_t v) {
    size_t n = 1;
    while (v >= 128) {
      v >>= 7;
      ++n;
    }
    return n;
  }
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
  rocksdb::LRUCacheOptions cache_options;
  cache_options.capacity = options.block_cache_bytes;
  cache_options.high_pri_pool_ratio = 0.25;  // index and filter blocks
  impl.cache = rocksdb::NewLRUCache(cache_options);

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // Flushes and compactions run when no other thread wants a core (SCHED_IDLE,
  // by default): on two cores they otherwise take turns with the apply and
  // commit threads and every ack waits for them (at 16,000 deltas/s, ack p99
  // 25-33 ms against 77-147 ms at nice 19). One that falls behind slows or
  // stops writes (L0 and memtable triggers), which frees the cores it needs:
  // at saturation that costs acks a pause, not data. A host busy with other
  // work may want `low` (nice 19) instead.
  if (options.background_priority != BackgroundPriority::kNormal) {
    const auto priority = options.background_priority == BackgroundPriority::kIdle
                              ? rocksdb::CpuPriority::kIdle
                              : rocksdb::CpuPriority::kLow;
    for (auto pool : {rocksdb::Env::Priority::LOW, rocksdb::Env::Priority::HIGH}) {
      rocksdb::Env::Default()->LowerThreadPoolCPUPriority(pool, priority);
    }
  }
  // One writer thread; the hash memtables (TableOptions) need this off.
  db_options.allow_concurrent_memtable_write = false;
  db_options.keep_log_file_num = 4;
  db_options.max_total_wal_size = 256u << 20;
  // Memtables of all tables together: bounded, whatever the write mix.
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  // Write back a little at a time, not in one burst per flush or compaction.
  db_options.bytes_per_sync = 1u << 20;
  db_options.wal_bytes_per_sync = 1u << 20;
  db_options.info_log_level = rocksdb::WARN_LEVEL;
  // No LOG file in the store: it must not live on the file system that may fill up.
  db_options.info_log = std::make_shared<RocksLogger>(GetLogger("collector.store"));
  db_options.listeners.push_back(std::make_shared<ErrorListener>(&impl.writes_failing));
  impl.db_options = db_options;

  for (int i = 0; i < kTableCount; ++i) {
    auto table = static_cast<Table>(i);
    impl.descriptors.emplace_back(TableName(table), TableOptions(table, impl.cache));
  }
  impl.descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());

  Status opened = impl.OpenForWriting(options.path);
  if (opened.ok()) return store;
  if (opened.code() != Status::Code::kResourceExhausted) return opened;
  // The disk is too full to open the store for writing, which writes (a
  // MANIFEST, an OPTIONS file, the flush of the replayed log). Opened for
  // reading, which writes nothing, it holds every acknowledged write, the
  // log's included; Write fails with ResourceExhausted until Resume reopens
  // it for writing once there is room (docs/architecture.md, "Durability and
  // faults").
  auto db = std::make_shared<Impl::Db>();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(impl.db_options, options.path, impl.descriptors,
                                                   &db->handles, &raw);
  if (!s.ok()) return opened;  // why it could not be written is the news
  db->db.reset(raw);
  db->read_only = true;
  impl.live = std::move(db);
  impl.may_reopen = true;
  GetLogger("collector.store")
      ->error(
          "store {} opened read-only: its disk is full ({}). Queries and backups work; "
          "writes are refused until there is room for the store's next flush",
          options.path, opened.message());
  return store;
}

Status Store::Impl::OpenForWriting(const std::string& path) {
  auto db = std::make_shared<Db>();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, descriptors, &db->handles, &raw);
  if (!s.ok()) return FromRocks(s).WithContext("opening inventory store " + path);
  db->db.reset(raw);
  std::lock_guard lock(live_mu);
  // A read-only instance this replaces closes once its last reader lets go.
  live = std::move(db);
  return Status::Ok();
}

namespace {

Result<std::optional<std::string>> GetAt(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                                         std::string_view key, const rocksdb::Snapshot* at) {
  rocksdb::ReadOptions options;
  options.snapshot = at;
  std::string value;
  rocksdb::Status s = db.Get(options, cf, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

}  // namespace

Result<std::optional<std::string>> Store::Get(Table table, std::string_view key) {
  std::string value;
  const Impl::Ref db = impl_->Use();
  rocksdb::Status s = db->db->Get(rocksdb::ReadOptions(), db->cf(table),
                                  rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

Status Store::Scan(Table table, std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions read_options = ScanOptions();
  const Impl::Ref db = impl_->Use();
  std::unique_ptr<rocksdb::Iterator> it(db->db->NewIterator(read_options, db->cf(table)));
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
  rocksdb::ReadOptions read_options = ScanOptions();
  const Impl::Ref db = impl_->Use();
  std::unique_ptr<rocksdb::Iterator> it(db->db->NewIterator(read_options, db->cf(table)));
  for (it->Seek(rocksdb::Slice(start.data(), start.size())); it->Valid(); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status());
}

Result<std::optional<std::string>> Store::LastKey(Table table) {
  rocksdb::ReadOptions read_options;
  read_options.total_order_seek = true;
  const Impl::Ref db = impl_->Use();
  std::unique_ptr<rocksdb::Iterator> it(db->db->NewIterator(read_options, db->cf(table)));
  it->SeekToLast();
  ESTATE_RETURN_IF_ERROR(FromRocks(it->status()));
  if (!it->Valid()) return std::optional<std::string>();
  return std::optional<std::string>(it->key().ToString());
}

std::unique_ptr<WriteBatch> Store::NewBatch() {
  return std::unique_ptr<WriteBatch>(new WriteBatch(TakeSpareBatch()));
}

namespace {

// Two are in use at a time (one applied, one committed); one larger than this
// (after a burst of full reports) is let go rather than kept.
constexpr size_t kSpareBatches = 2;
constexpr size_t kMaxSpareBatchBytes = 8u << 20;

}  // namespace

std::unique_ptr<WriteBatch::Impl> Store::TakeSpareBatch() {
  {
    std::lock_guard lock(spare_mu_);
    if (!spare_batches_.empty()) {
      auto batch = std::move(spare_batches_.back());
      spare_batches_.pop_back();
      return batch;
    }
  }
  auto batch = std::make_unique<WriteBatch::Impl>();
  batch->store = this;
  return batch;
}

void Store::KeepSpareBatch(std::unique_ptr<WriteBatch::Impl> batch) {
  if (batch->batch.GetDataSize() > kMaxSpareBatchBytes) return;
  batch->ReleaseSnapshot();
  batch->below = nullptr;
  batch->batch.Clear();
  batch->pending.Clear();
  batch->writes.fill(0);
  std::lock_guard lock(spare_mu_);
  if (spare_batches_.size() < kSpareBatches) spare_batches_.push_back(std::move(batch));
}

std::unique_ptr<WriteBatch> Store::NewBatchOver(WriteBatch& in_flight) {
  std::unique_ptr<WriteBatch> batch(new WriteBatch(TakeSpareBatch()));
  batch->impl_->below = &in_flight;
  batch->impl_->snapshot_db = impl_->Use();
  batch->impl_->snapshot = batch->impl_->snapshot_db->db->GetSnapshot();
  return batch;
}

Status Store::Write(WriteBatch& batch, bool sync) {
  const Impl::Ref db = impl_->Use();
  if (db->read_only) {
    return Status::ResourceExhausted(
        "store opened read-only: No space left on device when estated started; writes resume "
        "once the disk has room");
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  Status st = FromRocks(db->db->Write(write_options, &batch.impl_->batch));
  impl_->writes_failing.store(!st.ok(), std::memory_order_relaxed);
  if (st.ok()) {
    for (int i = 0; i < kTableCount; ++i) impl_->writes[i] += batch.impl_->writes[i];
  }
  return st;
}

Status Store::Checkpoint(const std::string& dir) {
  const Impl::Ref db = impl_->Use();
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db->db.get(), &raw);
  if (!s.ok()) return FromRocks(s);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Normally the memtables are flushed first, so the copy is tables only. A
  // store whose disk is full cannot write that flush: its write-ahead logs are
  // copied instead (a restore replays them), and so is one whose flush just
  // failed for that reason.
  constexpr uint64_t kNeverFlush = std::numeric_limits<uint64_t>::max();
  const bool flush = !db->read_only && !impl_->writes_failing.load();
  s = checkpoint->CreateCheckpoint(dir, flush ? 0 : kNeverFlush);
  if (!s.ok() && flush && !std::filesystem::exists(dir)) {
    s = checkpoint->CreateCheckpoint(dir, kNeverFlush);
  }
  ESTATE_RETURN_IF_ERROR(FromRocks(s).WithContext("checkpoint to " + dir));
  return MakePrivate(dir);
}

Status Store::CompactAll() {
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  const Impl::Ref db = impl_->Use();
  for (int i = 0; i < kTableCount; ++i) all.push_back(db->cf(static_cast<Table>(i)));
  ESTATE_RETURN_IF_ERROR(FromRocks(db->db->Flush(rocksdb::FlushOptions(), all)));
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* cf : all) {
    ESTATE_RETURN_IF_ERROR(FromRocks(db->db->CompactRange(options, cf, nullptr, nullptr)));
  }
  return Status::Ok();
}

uint64_t Store::DiskBytes() {
  uint64_t total = 0;
  const Impl::Ref db = impl_->Use();
  for (int i = 0; i < kTableCount; ++i) {
    uint64_t v = 0;
    if (db->db->GetIntProperty(db->cf(static_cast<Table>(i)),
                               rocksdb::DB::Properties::kTotalSstFilesSize, &v)) {
      total += v;
    }
  }
  rocksdb::VectorLogPtr wal_files;
  if (db->db->GetSortedWalFiles(wal_files).ok()) {
    for (const auto& f : wal_files) total += f->SizeFileBytes();
  }
  return total;
}

uint64_t Store::EstimateKeys(Table table) {
  uint64_t v = 0;
  const Impl::Ref db = impl_->Use();
  db->db->GetIntProperty(db->cf(table), rocksdb::DB::Properties::kEstimateNumKeys, &v);
  return v;
}

namespace {

// Resume's pacing: a try costs a flush attempt (compressing every memtable),
// so while the disk stays full it is tried at most once a second, and only
// when there is more room than at the last failed try — or a minute later,
// should the free space be misreported (quotas, reserved blocks).
constexpr auto kResumeInterval = std::chrono::seconds(1);
constexpr auto kResumeRetryAnyway = std::chrono::minutes(1);

}  // namespace

Status Store::Resume() {
  std::lock_guard lock(impl_->resume_mu);
  const auto now = std::chrono::steady_clock::now();
  const uint64_t free = FreeBytes(path_);
  if (impl_->resume_failed) {
    const auto since = now - impl_->last_resume_try;
    if (since < kResumeInterval) return Status::Unavailable("store: last resume less than 1 s ago");
    if (free <= impl_->free_at_failed_resume && since < kResumeRetryAnyway) {
      return Status::ResourceExhausted("store: no more free space than at the last resume");
    }
  }
  impl_->last_resume_try = now;
  const Impl::Ref db = impl_->Use();
  Status st = db->read_only ? impl_->OpenForWriting(path_) : FromRocks(db->db->Resume());
  impl_->resume_failed = !st.ok();
  impl_->free_at_failed_resume = free;
  if (st.ok()) {
    impl_->writes_failing.store(false);
  } else {
    // One line per try, and a try only when the free space grew: what an
    // operator freeing space wants to see.
    GetLogger("collector.store")
        ->warn("store still cannot take writes with {} bytes free: {}", free, st.ToString());
  }
  return st;
}

uint64_t Store::WritesTo(Table table) const { return impl_->writes[static_cast<size_t>(table)]; }

WriteBatch::WriteBatch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WriteBatch::~WriteBatch() { impl_->store->KeepSpareBatch(std::move(impl_)); }

void WriteBatch::Put(Table table, std::string_view key, std::string_view value) {
  ++impl_->writes[static_cast<size_t>(table)];
  impl_->batch.Put(impl_->store->impl_->Use()->cf(table), rocksdb::Slice(key.data(), key.size()),
                   rocksdb::Slice(value.data(), value.size()));
  impl_->pending.Put(TableByte(table), key, impl_->LastKey(key.size(), value.size(), true),
                     impl_->LastValue(value.size()));
}

void WriteBatch::Merge(Table table, std::string_view key, std::string_view value) {
  ++impl_->writes[static_cast<size_t>(table)];
  impl_->batch.Merge(impl_->store->impl_->Use()->cf(table), rocksdb::Slice(key.data(), key.size()),
                     rocksdb::Slice(value.data(), value.size()));
  impl_->pending.Merge(TableByte(table), key, impl_->LastKey(key.size(), value.size(), true),
                       impl_->LastValue(value.size()));
}

void WriteBatch::Delete(Table table, std::string_view key) {
  ++impl_->writes[static_cast<size_t>(table)];
  impl_->batch.Delete(impl_->store->impl_->Use()->cf(table),
                      rocksdb::Slice(key.data(), key.size()));
  impl_->pending.Delete(TableByte(table), key, impl_->LastKey(key.size(), 0, false));
}

namespace {

// The value of a pending entry; `stored` is what the store holds under its key
// (only looked at for kMerge).
Result<std::optional<std::string>> Resolve(Table table, const PendingWrites& pending,
                                           const PendingWrites::Entry& entry,
                                           const std::optional<std::string>& stored) {
  std::optional<std::string> value;
  switch (entry.kind) {
    case PendingWrites::Kind::kPut:
      value.emplace(pending.Bytes(entry.value));
      break;
    case PendingWrites::Kind::kDelete:
      break;
    case PendingWrites::Kind::kMerge:
      value = stored;
      break;
  }
  if (entry.operands == ~0u) return value;
  PendingWrites::MergeFn merge = MergeFnFor(table);
  if (merge == nullptr) {
    return Status::Corruption(std::string("merge operand in a table without merge: ") +
                              TableName(table));
  }
  for (std::string_view operand : pending.Operands(entry)) {
    std::string merged;
    std::string_view base = value ? std::string_view(*value) : std::string_view();
    if (!merge(value ? &base : nullptr, operand, &merged)) {
      return Status::Corruption(std::string("unmergeable record in ") + TableName(table));
    }
    value = std::move(merged);
  }
  return value;
}

}  // namespace

Result<std::optional<std::string>> WriteBatch::Impl::GetUnder(Table table, std::string_view key,
                                                              const At& at) {
  if (below != nullptr) return below->impl_->GetOver(table, key, at);
  return GetAt(*at.db->db, at.db->cf(table), key, at.snapshot);
}

Result<std::optional<std::string>> WriteBatch::Impl::GetOver(Table table, std::string_view key,
                                                             const At& at) {
  const PendingWrites::Entry* entry = pending.Find(TableByte(table), key);
  if (entry == nullptr) return GetUnder(table, key, at);
  if (entry->kind != PendingWrites::Kind::kMerge) return Resolve(table, pending, *entry, {});
  auto under = GetUnder(table, key, at);
  if (!under.ok()) return under.status();
  return Resolve(table, pending, *entry, *under);
}

Result<std::optional<std::string>> WriteBatch::Get(Table table, std::string_view key) {
  if (impl_->snapshot != nullptr) {
    return impl_->GetOver(table, key, {impl_->snapshot_db.db, impl_->snapshot});
  }
  const Store::Impl::Ref db = impl_->store->impl_->Use();
  return impl_->GetOver(table, key, {db.db, nullptr});
}

namespace {

// Whether a stored value of `table` is a whole value rather than an operand.
bool IsBaseValue(Table table, std::string_view bytes) {
  return table == Table::kSoftware && IsSoftwareSet(bytes);
}

// The store's parts of `key`: RocksDB hands back the newest whole value (as
// the first element) and the operands after it without merging them.
Result<MergeParts> StoredParts(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, Table table,
                               std::string_view key, const rocksdb::Snapshot* at) {
  constexpr int kMaxOperands = 64;
  rocksdb::ReadOptions options;
  options.snapshot = at;
  // Kept per thread: the writer reads a set per delta, and 64 slices built
  // and torn down each time showed in its profile.
  thread_local rocksdb::PinnableSlice operands[kMaxOperands];
  struct Unpin {
    ~Unpin() {
      for (auto& o : operands) o.Reset();
    }
  } unpin;
  rocksdb::GetMergeOperandsOptions limits;
  limits.expected_max_number_of_operands = kMaxOperands;
  int n = 0;
  rocksdb::Status s = db.GetMergeOperands(options, cf, rocksdb::Slice(key.data(), key.size()),
                                          operands, &limits, &n);
  MergeParts parts;
  if (s.IsNotFound()) return parts;
  if (s.IsIncomplete()) {
    // More operands than compaction has folded yet: let RocksDB merge them.
    auto merged = GetAt(db, cf, key, at);
    if (!merged.ok()) return merged.status();
    parts.base = std::move(*merged);
    return parts;
  }
  if (!s.ok()) return FromRocks(s);
  int first = 0;
  if (n > 0 && IsBaseValue(table, operands[0].ToStringView())) {
    parts.base = operands[0].ToString();
    first = 1;
  }
  for (int i = first; i < n; ++i) parts.operands.push_back(operands[i].ToString());
  return parts;
}

}  // namespace

Result<MergeParts> WriteBatch::Impl::PartsUnder(Table table, std::string_view key, const At& at) {
  if (below != nullptr) return below->impl_->PartsOver(table, key, at);
  return StoredParts(*at.db->db, at.db->cf(table), table, key, at.snapshot);
}

Result<MergeParts> WriteBatch::Impl::PartsOver(Table table, std::string_view key, const At& at) {
  const PendingWrites::Entry* entry = pending.Find(TableByte(table), key);
  if (entry == nullptr) return PartsUnder(table, key, at);
  MergeParts parts;
  switch (entry->kind) {
    case PendingWrites::Kind::kPut:
      parts.base.emplace(pending.Bytes(entry->value));
      break;
    case PendingWrites::Kind::kDelete:
      break;
    case PendingWrites::Kind::kMerge: {
      auto under = PartsUnder(table, key, at);
      if (!under.ok()) return under.status();
      parts = std::move(*under);
      break;
    }
  }
  for (std::string_view operand : pending.Operands(*entry)) parts.operands.emplace_back(operand);
  return parts;
}

Result<MergeParts> WriteBatch::GetParts(Table table, std::string_view key) {
  if (impl_->snapshot != nullptr) {
    return impl_->PartsOver(table, key, {impl_->snapshot_db.db, impl_->snapshot});
  }
  const Store::Impl::Ref db = impl_->store->impl_->Use();
  return impl_->PartsOver(table, key, {db.db, nullptr});
}

void WriteBatch::DetachReads() {
  impl_->below = nullptr;
  impl_->ReleaseSnapshot();
}

Status WriteBatch::Scan(Table table, std::string_view prefix,
                        const std::function<bool(std::string_view, std::string_view)>& fn) {
  const Store::Impl::Ref db =
      impl_->snapshot != nullptr ? impl_->snapshot_db : impl_->store->impl_->Use();
  rocksdb::ReadOptions read_options = ScanOptions();
  read_options.snapshot = impl_->snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db->db->NewIterator(read_options, db->cf(table)));
  const rocksdb::Slice p(prefix.data(), prefix.size());
  it->Seek(p);
  // Layers over the store, newest first: this batch, then the one below it.
  struct Layer {
    const PendingWrites* pending;
    std::vector<std::pair<std::string_view, const PendingWrites::Entry*>> range;
    size_t next = 0;
  };
  std::vector<Layer> layers;
  for (WriteBatch* b = this; b != nullptr; b = b->impl_->below) {
    layers.push_back({&b->impl_->pending, b->impl_->pending.Range(TableByte(table), prefix)});
    if (b != this) break;  // at most one batch below: it is the one being committed
  }
  bool more = true;
  while (more) {
    const bool db_valid = it->Valid() && it->key().starts_with(p);
    // The smallest key any source holds.
    std::optional<std::string_view> key;
    if (db_valid) key = std::string_view(it->key().data(), it->key().size());
    for (const auto& layer : layers) {
      if (layer.next < layer.range.size() && (!key || layer.range[layer.next].first < *key)) {
        key = layer.range[layer.next].first;
      }
    }
    if (!key) break;
    const std::string current(*key);
    // Its value, folded from the store up through the layers.
    std::optional<std::string> value;
    if (db_valid && std::string_view(it->key().data(), it->key().size()) == current) {
      value = it->value().ToString();
      it->Next();
    }
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
      if (layer->next < layer->range.size() && layer->range[layer->next].first == current) {
        auto resolved = Resolve(table, *layer->pending, *layer->range[layer->next].second, value);
        if (!resolved.ok()) return resolved.status();
        value = std::move(*resolved);
        ++layer->next;
      }
    }
    if (value) more = fn(current, *value);
  }
  return FromRocks(it->status());
}

void WriteBatch::SetSavePoint() {
  impl_->batch.SetSavePoint();
  impl_->pending.SetSavePoint();
}

void WriteBatch::RollbackToSavePoint() {
  // The index first: undoing it reads keys the buffer still holds.
  impl_->pending.RollbackToSavePoint();
  (void)impl_->batch.RollbackToSavePoint();
}

size_t WriteBatch::ByteSize() const { return impl_->batch.GetDataSize(); }
size_t WriteBatch::Count() const { return impl_->batch.Count(); }

}  // namespace estate::collector
