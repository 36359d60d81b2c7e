// Store: the collector's embedded RocksDB inventory, one column family per
// kind of record (docs/architecture.md, "RocksDB key layout"). This folder is
// the only code that includes rocksdb/*; everything else sees Tables, string
// keys and values, and estate::Status.
//
// Thread-safe: reads from any thread; writes go through WriteBatch + Write,
// which the ingest writer thread and admin commands call.
#ifndef ESTATE_COLLECTOR_STORE_STORE_H_
#define ESTATE_COLLECTOR_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

// Column families. The order is the on-disk contract: append only.
enum class Table {
  kAssets,          // asset id -> v1::Asset
  kIdentity,        // "<kind>\0<value>" -> asset id
  kFacts,           // "<asset id>\0<node id>\0<field>" -> v1::HostFacts holding that field only
  kHistory,         // "<asset id>\0<be64 micros><be32 n>" -> v1::AssetEvent
  kNodes,           // node id -> v1::NodeState
  kSightings,       // "<mac or ip:addr>" -> v1::Sighting (merge: sighting_merge.h)
  kSettings,        // name -> value
  kEvents,          // be64 sequence -> v1::Event
  kFindings,        // "drift\0<asset id>" -> v1::DriftState, "services\0<asset id>" ->
                    // v1::SoftwareFindings, "software_drift\0<asset>\0<node>" -> "1"
  kBaselines,       // "<asset id>\0<group>" -> v1::Baseline (software: in the SoftwareSet)
  kPolicy,          // "rule\0<id>" -> v1::SoftwareRule, "ignore\0<kind>\0<subject>" -> reason
  kSoftware,        // "<asset id>\0<node id>" -> software set (software_set.h; merge)
  kCatalogue,       // "t\0<be32>" -> v1::CatalogueTitle, "v\0<be32>" -> v1::CatalogueVersion
  kSoftwareCounts,  // "<be32 version><asset class>" -> int64 installs (merge: addition)
};
inline constexpr int kTableCount = 14;
const char* TableName(Table table);

// Something keys can be read from: the store itself, or a batch (which sees its own writes).
class ReadView {
 public:
  virtual ~ReadView() = default;
  // nullopt when the key is absent.
  virtual Result<std::optional<std::string>> Get(Table table, std::string_view key) = 0;
};

class Store;

// A value of a merge table as it is stored: the newest whole value (nullopt:
// none) and the merge operands written after it, oldest first.
struct MergeParts {
  std::optional<std::string> base;
  std::vector<std::string> operands;
  bool empty() const { return !base && operands.empty(); }
};

// Writes applied atomically by Store::Write. Reads through a batch see the
// batch's own pending writes over the store — or, for a batch made over one
// still being committed (Store::NewBatchOver), over that batch's writes over
// the store as it was before that commit. Not thread-safe.
class WriteBatch : public ReadView {
 public:
  ~WriteBatch() override;
  // Ends reading through the batch this one was made over (and its snapshot);
  // reads see the store itself again. Call once that batch is committed.
  void DetachReads();
  void Put(Table table, std::string_view key, std::string_view value);
  void Delete(Table table, std::string_view key);
  // Folds `value` into the stored one with the table's merge operator
  // (sightings, software, software_counts).
  void Merge(Table table, std::string_view key, std::string_view value);
  Result<std::optional<std::string>> Get(Table table, std::string_view key) override;
  // The key's parts, unmerged, so the caller decodes the base once and
  // applies the operands itself (software sets: software_set.h).
  Result<MergeParts> GetParts(Table table, std::string_view key);
  // Like Store::Scan, seeing the batch's pending writes over the store.
  Status Scan(Table table, std::string_view prefix,
              const std::function<bool(std::string_view key, std::string_view value)>& fn);
  // Marks a point to roll back to when one of several grouped operations fails.
  void SetSavePoint();
  void RollbackToSavePoint();
  size_t ByteSize() const;
  size_t Count() const;

 private:
  friend class Store;
  struct Impl;
  explicit WriteBatch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// How RocksDB's flush and compaction threads yield the CPU to the writer's.
enum class BackgroundPriority {
  kIdle,    // SCHED_IDLE: they run when nothing else wants a core (the default)
  kLow,     // nice 19
  kNormal,  // as the rest of the process
};

struct StoreOptions {
  std::string path;
  size_t block_cache_bytes = 256u << 20;
  size_t write_buffer_bytes = 192u << 20;  // all memtables together
  bool create_if_missing = true;
  BackgroundPriority background_priority = BackgroundPriority::kIdle;
};

class Store : public ReadView {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store() override;

  Result<std::optional<std::string>> Get(Table table, std::string_view key) override;
  // Calls `fn(key, value)` for keys starting with `prefix`, in order, until it returns false.
  Status Scan(Table table, std::string_view prefix,
              const std::function<bool(std::string_view key, std::string_view value)>& fn);

  // Calls `fn` for keys >= `start`, in order, until it returns false.
  Status ScanFrom(Table table, std::string_view start,
                  const std::function<bool(std::string_view key, std::string_view value)>& fn);
  // The greatest key in `table`; nullopt when the table is empty.
  Result<std::optional<std::string>> LastKey(Table table);

  std::unique_ptr<WriteBatch> NewBatch();
  // A batch whose reads see `in_flight`'s writes over the store as it is now:
  // call it before `in_flight` is written (its writes may land at any moment
  // after, and a merge must not be folded twice). `in_flight` must outlive
  // the new batch's reads (DetachReads).
  std::unique_ptr<WriteBatch> NewBatchOver(WriteBatch& in_flight);
  // `sync` makes the write durable (WAL fsync'd) before returning.
  Status Write(WriteBatch& batch, bool sync = true);

  // A consistent copy of the whole store in `dir` (which must not exist).
  Status Checkpoint(const std::string& dir);
  // Live on-disk bytes (SST + WAL).
  uint64_t DiskBytes();
  // Flushes every memtable and compacts every table fully: the store's
  // settled size, for benchmarks and `estatectl compact`-like maintenance.
  Status CompactAll();
  // Estimated number of keys in `table`.
  uint64_t EstimateKeys(Table table);
  // Tries to leave the read-only state RocksDB enters after a write error (disk full).
  Status Resume();
  // Keys written (put, merged, deleted) per table since the store was opened.
  uint64_t WritesTo(Table table) const;
  const std::string& path() const { return path_; }

 private:
  friend class WriteBatch;
  struct Impl;
  explicit Store(std::string path);
  // Batches are reused: a group's batch grows to megabytes, and a fresh one
  // per group paid for that growth (copies, page faults) every time.
  std::unique_ptr<WriteBatch::Impl> TakeSpareBatch();
  void KeepSpareBatch(std::unique_ptr<WriteBatch::Impl> batch);
  std::string path_;
  std::unique_ptr<Impl> impl_;
  std::mutex spare_mu_;
  std::vector<std::unique_ptr<WriteBatch::Impl>> spare_batches_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_STORE_H_
