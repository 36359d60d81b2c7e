// TitleHostIndex: for the software titles someone asked about (the licensed
// products), the nodes that have each installed and at which version rank,
// so that licence compliance reads the hosts of a few titles instead of
// decoding every node's software set on each call.
//
// Only asked-for titles are indexed: every title of a fleet would take
// gigabytes (100,000 hosts × 1,500 packages), the licensed ones a few
// megabytes. A title enters with a fill (one pass over the software sets on
// the writer thread, SoftwareInventory::IndexTitles); from then on the
// writer records what changes it (installs, upgrades, removals, sets moved
// by a merge or split, a node detached) as TitleHostOps, which reach the
// index with the totals, once the group holding them is committed. So the
// index answers what the store holds, never what a rolled-back report
// wrote. After a failed commit it is emptied and refilled on the next ask.
//
// Thread-safe: the committer applies ops, any thread reads.
#ifndef ESTATE_COLLECTOR_RECONCILE_TITLE_HOST_INDEX_H_
#define ESTATE_COLLECTOR_RECONCILE_TITLE_HOST_INDEX_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace estate::collector {

// One change to the index, as the writer records it. Keys are software keys
// ("<asset>\0<node>", SoftwareKey).
struct TitleHostOp {
  enum class Kind : uint8_t {
    kSet,        // key has `title` installed at `rank`
    kErase,      // key no longer has `title`
    kFill,       // `title` is indexed from now on, installed at `installs`
    kMoveAsset,  // every key of asset `key` now belongs to asset `to`
    kMoveKey,    // the set under `key` is now under `to`
    kDropKey,    // the set under `key` is gone
  };
  Kind kind = Kind::kSet;
  uint32_t title = 0;
  uint32_t rank = 0;
  std::string key, to;
  std::vector<std::pair<std::string, uint32_t>> installs;  // kFill: (key, rank)
};

class TitleHostIndex {
 public:
  TitleHostIndex() = default;
  TitleHostIndex(const TitleHostIndex&) = delete;
  TitleHostIndex& operator=(const TitleHostIndex&) = delete;

  // The titles of `titles` not indexed yet.
  std::vector<uint32_t> Missing(const std::vector<uint32_t>& titles) const;
  // Calls fn(asset id, key id, title, version rank) for every install of
  // `titles` that are indexed (under the index's lock: fn must not call
  // back). The key id is the index's dense number of the software key: the
  // same for every install of one key during the call, so that a caller
  // can cache what it made of the asset id.
  void ForEachInstall(const std::vector<uint32_t>& titles,
                      const std::function<void(std::string_view asset_id, uint32_t key_id,
                                               uint32_t title, uint32_t rank)>& fn) const;

  void Apply(const std::vector<TitleHostOp>& ops);
  // Forgets every title (they are filled again when next asked for).
  void Clear();

  size_t titles() const;
  size_t installs() const;

 private:
  uint32_t HostId(const std::string& key);  // mu_ held
  void Set(uint32_t title, uint32_t host, uint32_t rank);
  void Erase(uint32_t title, uint32_t host);
  void Rename(uint32_t host, std::string to);

  mutable std::mutex mu_;
  std::vector<std::string> keys_;  // host id -> software key ("" once dropped)
  std::unordered_map<std::string, uint32_t> ids_;
  // title -> (host id, version rank), sorted by host id. New hosts take the
  // next id, so a fleet's first reports append.
  std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> titles_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_TITLE_HOST_INDEX_H_
