#include "collector/reconcile/software_set_cache.h"

#include <utility>

namespace estate::collector {

size_t SoftwareSetCache::BytesOf(const std::string& key, const MergeParts& parts) {
  // Strings' heap blocks plus the entry and its index node, roughly.
  constexpr size_t kOverhead = 128;
  size_t n = kOverhead + key.size() + (parts.base ? parts.base->capacity() : 0);
  for (const auto& op : parts.operands) n += sizeof(std::string) + op.capacity();
  return n;
}

void SoftwareSetCache::Unlink(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(std::string_view(it->key));
  lru_.erase(it);
}

std::optional<MergeParts> SoftwareSetCache::Take(std::string_view key) {
  auto found = index_.find(key);
  if (found == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  auto it = found->second;
  MergeParts parts = std::move(it->parts);
  Unlink(it);
  return parts;
}

void SoftwareSetCache::Put(std::string_view key, MergeParts parts) {
  Erase(key);
  if (capacity_ == 0) return;
  Entry entry{std::string(key), std::move(parts), 0};
  entry.bytes = BytesOf(entry.key, entry.parts);
  if (entry.bytes > capacity_) return;
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
