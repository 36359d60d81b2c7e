// SoftwareInventory: the collector's side of every node's packages. A report's
// package list (or its keyed changes) becomes the node's software set
// (software_set.h) as catalogue references; what changed is compared with the
// approved baseline held in the same set (software drift) and with the policy
// (shadow software), and install counts per version and asset class move with
// it. Work is proportional to what a report changes: a delta that upgrades
// three packages reads one set and writes one operand.
//
// Install counts and the number of open software drift items are totals the
// writer keeps in memory: a report changes them without writing anything.
// They are written to the software_counts table at a clean stop (Checkpoint)
// and read back at start; after a crash or a failed commit they are rebuilt
// from the package sets, which are the truth.
//
// Used on the ingest writer thread, except catalogue(), InstallCounts(),
// DriftItems() and title_hosts(), which admin commands may call from any
// thread.
#ifndef ESTATE_COLLECTOR_RECONCILE_SOFTWARE_INVENTORY_H_
#define ESTATE_COLLECTOR_RECONCILE_SOFTWARE_INVENTORY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collector/reconcile/drift.h"
#include "collector/reconcile/software_catalogue.h"
#include "collector/reconcile/software_policy.h"
#include "collector/reconcile/software_set_cache.h"
#include "collector/reconcile/title_host_index.h"
#include "collector/store/software_set.h"
#include "collector/store/store.h"
#include "estate/v1/frame.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct ReconcileContext;

// The verdict of catalogue version `version` for `asset_class`, uncached (admin queries).
std::string_view VersionVerdict(const SoftwarePolicy& policy, const SoftwareCatalogue& catalogue,
                                uint32_t version, const std::string& asset_class);

// Severity of one software difference from the baseline: prohibited software
// installed is critical, unapproved or unknown software added medium,
// upgrades, removals and approved installs low.
std::string SoftwareDriftSeverity(uint32_t approved, uint32_t now, std::string_view verdict);

// Key of the marker saying a node has open software drift ("software_drift"
// findings, value "1"), so `drift` and `report` need not read
// every node's package set.
std::string SoftwareDriftMarkerKey(const std::string& asset_id, const std::string& node_id);

// How many merge operands may follow the stored set of the node with
// software key `key` before a delta writes the folded set instead: 16 to 47,
// fixed per node, so that nodes reporting in step (a fleet started at once, a
// load generator) do not all fold in the same second.
size_t SoftwareFoldThreshold(std::string_view key);

class SoftwareInventory {
 public:
  static constexpr size_t kDefaultSetCacheBytes = 192u << 20;
  // Loads the catalogue and the totals (rebuilt when the last stop was not
  // clean). `set_cache_bytes` bounds the cache of recently written software
  // sets (software_set_cache.h).
  static Result<std::unique_ptr<SoftwareInventory>> Open(
      Store& store, size_t set_cache_bytes = kDefaultSetCacheBytes);

  struct InstallCount {
    uint32_t version = 0;
    std::string asset_class;
    int64_t count = 0;
  };
  // Every (version, asset class) installed somewhere, with its count.
  std::vector<InstallCount> InstallCounts() const;
  // Open software drift items over all nodes.
  int64_t DriftItems() const;
  // Writes the totals and marks them clean (the last change before a stop).
  void Checkpoint(WriteBatch& batch);
  // Marks the stored totals stale: anything written after this must make a
  // restart rebuild them unless Checkpoint runs again.
  static void MarkTotalsDirty(WriteBatch& batch);

  SoftwareCatalogue& catalogue() { return *catalogue_; }
  const SoftwareCatalogue& catalogue() const { return *catalogue_; }

  // The node's stored set; nullopt when it has none.
  static Result<std::optional<HostSoftware>> Load(ReadView& view, const std::string& asset_id,
                                                  const std::string& node_id);
  // The same through a batch, decoding the stored set once (the writer's way).
  static Result<std::optional<HostSoftware>> Load(WriteBatch& batch, const std::string& asset_id,
                                                  const std::string& node_id);

  // What a report says of a node's packages. `track_drift`: software is a
  // drift group of the asset's class. Writes the set, raises drift and
  // shadow_software events for what is new, counts installs.
  struct Outcome {
    uint32_t package_count = 0;
    bool changed = false;  // anything installed, removed or upgraded
  };
  // The whole list (a full report, or a delta that replaced it).
  Result<Outcome> Replace(ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id,
                          const google::protobuf::RepeatedPtrField<v1::Package>& packages,
                          bool track_drift);
  // Keyed changes (a delta).
  Result<Outcome> Change(ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id,
                         const google::protobuf::RepeatedPtrField<v1::Package>& upserted,
                         const google::protobuf::RepeatedPtrField<v1::PackageKey>& removed,
                         bool track_drift);
  // Software sets were written by someone else than this inventory (merge,
  // split): forget what the set cache holds.
  void ForgetCachedSets() { set_cache_.Clear(); }
  const SoftwareSetCache& set_cache() const { return set_cache_; }

  // The hosts of the titles compliance asked about (title_host_index.h), as
  // committed. Any thread.
  const TitleHostIndex& title_hosts() const { return title_hosts_; }
  // Indexes `titles` from the sets `ctx.batch` sees (one pass over every
  // set) and follows their changes from now on.
  Status IndexTitles(ReconcileContext& ctx, const std::vector<uint32_t>& titles);
  // Software sets that move or go past Replace and Change (merge, split,
  // detach): the index follows them.
  void NoteMovedAsset(const std::string& from_asset, const std::string& to_asset);
  void NoteMovedSet(const std::string& from_key, const std::string& to_key);
  void NoteDroppedSet(const std::string& key);

  // A policy change prohibited `titles`: those the node has installed become
  // open software differences (approved state: not installed), so `drift`
  // shows them as critical until they are removed or accepted. Adds to
  // `*flagged` how many it opened.
  Status FlagProhibited(ReconcileContext& ctx, const std::string& asset_id,
                        const std::string& node_id, const std::vector<uint32_t>& titles,
                        size_t* flagged);
  // The current packages of every node of the asset become its baseline.
  Status Accept(ReconcileContext& ctx, const std::string& asset_id);
  // Install counts of the asset's nodes move from one asset class to another.
  Status MoveCounts(ReconcileContext& ctx, const std::string& asset_id,
                    const std::string& from_class, const std::string& to_class);
  // The set of one node leaves the asset (split, merge): its counts go with it.
  Status ForgetCounts(ReconcileContext& ctx, const HostSoftware& software,
                      const std::string& asset_class);
  Status AddCounts(ReconcileContext& ctx, const HostSoftware& software,
                   const std::string& asset_class);

  // The packages of a set, resolved through the catalogue, in canonical
  // (name, architecture, source) order.
  void Describe(const HostSoftware& software,
                google::protobuf::RepeatedPtrField<v1::Package>* out) const;
  // The policy's verdict on a version for an asset class (cached until the
  // policy changes). Thread-safe.
  std::string_view Verdict(const SoftwarePolicy& policy, uint32_t version,
                           const std::string& asset_class);
  void PolicyChanged();

  // What a group's reports changed in the totals, applied once it is committed.
  struct TotalsDelta {
    std::unordered_map<uint64_t, int64_t> counts;  // ClassKey -> installs
    int64_t drift_items = 0;
    std::vector<TitleHostOp> index_ops;  // for title_hosts(), in order
  };
  // Report bracketing, called by the Ingestor for every report and change.
  void EndReport(bool kept);
  // The group's reports are all applied: its totals change, to apply when
  // (and only if) its write succeeds.
  TotalsDelta EndGroup();
  void ApplyCommitted(const TotalsDelta& delta);
  // A group failed to commit: forget everything not in the store.
  Status AfterFailedCommit(Store& store);

 private:
  explicit SoftwareInventory(size_t set_cache_bytes) : set_cache_(set_cache_bytes) {}
  // The stored software set under `key`: from the set cache, or read through
  // the batch. The cache no longer holds it: Remember() puts back what the
  // report wrote.
  Result<std::unique_ptr<PreparedSoftwareSet>> TakeSet(WriteBatch& batch, const std::string& key);
  // The set of `key` after this report's write, until the report is rolled
  // back: prepared, or a whole set just written.
  void Remember(const std::string& key, std::unique_ptr<PreparedSoftwareSet> set);
  Status Remember(const std::string& key, std::string base);
  struct TitleChange {
    uint32_t title = 0;
    std::optional<SoftwareEntry> before, after;  // absent: not installed
  };
  // Drift exceptions, events and counts for `changes`; `exceptions` starts as
  // the stored ones and ends as the new ones, and `ops` (when given) records
  // the exceptions set and cleared.
  Status Settle(ReconcileContext& ctx, const v1::Asset& asset,
                const std::vector<TitleChange>& changes, bool first_report, bool track_drift,
                std::vector<SoftwareException>* exceptions, v1::SoftwareSetOps* ops);
  void Count(uint32_t version, uint64_t class_bits, int64_t delta);  // class_bits: ClassBits()
  // Keeps the node's software drift marker in step with its open exceptions.
  void MarkDrift(ReconcileContext& ctx, const std::string& asset_id, const std::string& node_id,
                 size_t before, size_t after);
  // Records the changes of indexed titles for title_hosts().
  void NoteIndexed(const std::string& key, const std::vector<TitleChange>& changes);

  // Asset classes by a small index, so a (version, class) pair is one integer.
  uint64_t ClassKey(uint32_t version, const std::string& asset_class);
  uint64_t ClassBits(const std::string& asset_class);  // ClassKey(0, class)
  // Verdict() for a ClassKey the caller has.
  std::string_view VerdictOf(const SoftwarePolicy& policy, uint64_t key,
                             const std::string& asset_class);
  uint64_t ClassKeyLocked(uint32_t version, const std::string& asset_class);  // totals_mu_ held
  // The totals from the checkpoint when it is clean, else from every set.
  Status LoadTotals(Store& store);
  Status RebuildTotals(Store& store);

  std::unique_ptr<SoftwareCatalogue> catalogue_;
  SoftwareSetCache set_cache_;
  std::vector<std::string> report_cached_;  // keys Remember()ed by the report being applied
  std::vector<std::string> classes_;
  std::unordered_map<std::string, uint32_t> class_index_;
  std::mutex verdict_mu_;
  // [class index][version id] -> verdict code (0: not decided yet).
  std::vector<std::vector<uint8_t>> verdicts_;
  // Total changes of the report being applied and of the group so far, and
  // the committed totals.
  std::unordered_map<uint64_t, int64_t> report_counts_;
  int64_t report_drift_items_ = 0;
  // Titles whose changes are recorded (writer thread), and the index they reach once committed.
  std::unordered_set<uint32_t> indexed_;
  std::vector<TitleHostOp> report_index_ops_;
  TitleHostIndex title_hosts_;
  TotalsDelta group_;
  mutable std::mutex totals_mu_;  // guards totals_, drift_items_ and classes_ for readers
  std::unordered_map<uint64_t, int64_t> totals_;
  int64_t drift_items_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_SOFTWARE_INVENTORY_H_
