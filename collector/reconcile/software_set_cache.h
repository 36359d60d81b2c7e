// SoftwareSetCache: the software sets the writer touched last, as their stored
// parts (the set and the merge operands after it) prepared for lookups
// (PreparedSoftwareSet), so that a delta from a host that reported minutes
// ago neither searches RocksDB's memtables and table files for its set again
// (a quarter of the writer's time per delta) nor decodes its install times,
// marks and operands again (another seventh). Parts, not decoded entries: a
// host takes ~12 KB here where its decoded entries would take ~24 KB.
//
// It holds what the writer has applied, committed or not: SoftwareInventory
// drops the keys a report rolled back and everything after a failed commit.
// Bounded in bytes, least recently used out first. A full cache admits a
// set it did not hold (a host it has not seen lately) one time in 16: when
// more hosts report than it holds, evicting one for each miss would only
// churn (a fleet reporting in a cycle would hit nothing), and the writer
// paid ~13 % more per delta for it. Writer thread only.
#ifndef ESTATE_COLLECTOR_RECONCILE_SOFTWARE_SET_CACHE_H_
#define ESTATE_COLLECTOR_RECONCILE_SOFTWARE_SET_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collector/store/software_set.h"

namespace estate::collector {

class SoftwareSetCache {
 public:
  // capacity_bytes 0: caches nothing.
  explicit SoftwareSetCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}
  SoftwareSetCache(const SoftwareSetCache&) = delete;
  SoftwareSetCache& operator=(const SoftwareSetCache&) = delete;

  // Moves the set of `key` out (the entry is gone); nullptr on a miss.
  std::unique_ptr<PreparedSoftwareSet> Take(std::string_view key);
  // Caches `set` as the current set of `key`, evicting the least recently
  // used entries beyond the capacity: always for the key taken last (the
  // writer puts back what it took), one time in 16 for another key when the
  // cache is full.
  void Put(std::string_view key, std::unique_ptr<PreparedSoftwareSet> set);
  void Erase(std::string_view key);
  void Clear();

  size_t bytes() const { return bytes_; }
  size_t entries() const { return index_.size(); }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  struct Entry {
    std::string key;
    std::unique_ptr<PreparedSoftwareSet> set;
    size_t bytes = 0;
  };
  void Unlink(std::list<Entry>::iterator it);

  const size_t capacity_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
  std::string last_taken_;  // put back without asking for room
  uint32_t refused_ = 0;    // admissions refused while full
  std::list<Entry> lru_;    // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // keys in lru_
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_SOFTWARE_SET_CACHE_H_
