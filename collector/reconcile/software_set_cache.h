// SoftwareSetCache: the stored parts of the software sets the writer touched
// last (the set and the merge operands after it, as WriteBatch::GetParts
// gives them), so that a delta from a host that reported minutes ago does not
// search RocksDB's memtables and table files for its set again: that search
// was a quarter of the writer's time per delta. Parts, not a decoded set: a
// host's parts take ~9 KB where its decoded entries take ~24 KB.
//
// It holds what the writer has applied, committed or not: SoftwareInventory
// drops the keys a report rolled back and everything after a failed commit.
// Bounded in bytes, least recently used out first. Writer thread only.
#ifndef ESTATE_COLLECTOR_RECONCILE_SOFTWARE_SET_CACHE_H_
#define ESTATE_COLLECTOR_RECONCILE_SOFTWARE_SET_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collector/store/store.h"

namespace estate::collector {

class SoftwareSetCache {
 public:
  // capacity_bytes 0: caches nothing.
  explicit SoftwareSetCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}
  SoftwareSetCache(const SoftwareSetCache&) = delete;
  SoftwareSetCache& operator=(const SoftwareSetCache&) = delete;

  // Moves the parts of `key` out (the entry is gone); nullopt on a miss.
  std::optional<MergeParts> Take(std::string_view key);
  // Caches `parts` as the current parts of `key`, evicting the least recently
  // used entries beyond the capacity.
  void Put(std::string_view key, MergeParts parts);
  void Erase(std::string_view key);
  void Clear();

  size_t bytes() const { return bytes_; }
  size_t entries() const { return index_.size(); }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  struct Entry {
    std::string key;
    MergeParts parts;
    size_t bytes = 0;
  };
  static size_t BytesOf(const std::string& key, const MergeParts& parts);
  void Unlink(std::list<Entry>::iterator it);

  const size_t capacity_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // keys in lru_
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_SOFTWARE_SET_CACHE_H_
