#include "collector/reconcile/software_set_cache.h"

#include <utility>

namespace estate::collector {

void SoftwareSetCache::Unlink(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(std::string_view(it->key));
  lru_.erase(it);
}

std::unique_ptr<PreparedSoftwareSet> SoftwareSetCache::Take(std::string_view key) {
  auto found = index_.find(key);
  if (found == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  last_taken_.assign(key);
  auto it = found->second;
  std::unique_ptr<PreparedSoftwareSet> set = std::move(it->set);
  Unlink(it);
  return set;
}

void SoftwareSetCache::Put(std::string_view key, std::unique_ptr<PreparedSoftwareSet> set) {
  Erase(key);
  if (capacity_ == 0 || set == nullptr) return;
  // The set, the key, the list and index nodes.
  constexpr size_t kEntryOverhead = 96;
  const size_t bytes = set->MemoryBytes() + key.size() + kEntryOverhead;
  Entry entry{std::string(key), std::move(set), bytes};
  if (entry.bytes > capacity_) return;
  constexpr uint32_t kAdmitOneIn = 16;
  if (bytes_ + entry.bytes > capacity_ && key != last_taken_ && ++refused_ % kAdmitOneIn != 0) {
    return;
  }
  bytes_ += entry.bytes;
  lru_.push_front(std::move(entry));
  index_.emplace(std::string_view(lru_.front().key), lru_.begin());
  while (bytes_ > capacity_) Unlink(std::prev(lru_.end()));
}

void SoftwareSetCache::Erase(std::string_view key) {
  if (auto found = index_.find(key); found != index_.end()) Unlink(found->second);
}

void SoftwareSetCache::Clear() {
  index_.clear();
  lru_.clear();
  bytes_ = 0;
}

}  // namespace estate::collector
