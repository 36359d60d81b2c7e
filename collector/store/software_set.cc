#include "collector/store/software_set.h"

#include <algorithm>
#include <cstring>

namespace estate::collector {
namespace {

template <typename T>
const T* FindByTitle(const std::vector<T>& sorted, uint32_t title, uint32_t (*key)(const T&)) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), title,
                             [&](const T& e, uint32_t t) { return key(e) < t; });
  return it != sorted.end() && key(*it) == title ? &*it : nullptr;
}

uint32_t EntryTitle(const SoftwareEntry& e) { return e.title; }
uint32_t ExceptionTitle(const v1::BaselineException& e) { return e.title(); }

}  // namespace

const SoftwareEntry* HostSoftware::Find(uint32_t title) const {
  return FindByTitle(entries, title, &EntryTitle);
}

const v1::BaselineException* HostSoftware::FindException(uint32_t title) const {
  return FindByTitle(exceptions, title, &ExceptionTitle);
}

bool DecodeSoftwareSet(std::string_view bytes, HostSoftware* out) {
  v1::SoftwareSet set;
  if (!set.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  const int n = set.title_gaps_size();
  if (set.version_ranks_size() != n || set.time_refs_size() != n) return false;
  std::vector<int64_t> times(set.install_times().begin(), set.install_times().end());
  for (size_t i = 1; i < times.size(); ++i) times[i] += times[i - 1];
  out->entries.clear();
  out->entries.reserve(static_cast<size_t>(n));
  uint32_t title = 0;
  for (int i = 0; i < n; ++i) {
    title += set.title_gaps(i);
    const uint32_t ref = set.time_refs(i);
    if (ref >= times.size()) return false;
    out->entries.push_back({title, set.version_ranks(i), times[ref]});
  }
  out->exceptions.assign(set.exceptions().begin(), set.exceptions().end());
  out->baseline_at = set.baseline_at();
  out->baseline_by = set.baseline_by();
  return true;
}

std::string EncodeSoftwareSet(const HostSoftware& software) {
  v1::SoftwareSet set;
  const auto& entries = software.entries;
  // Install times cluster by apt transaction: store each distinct time once.
  std::vector<int64_t> times;
  times.reserve(entries.size());
  for (const auto& e : entries) times.push_back(e.install_time);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  set.mutable_title_gaps()->Reserve(static_cast<int>(entries.size()));
  set.mutable_version_ranks()->Reserve(static_cast<int>(entries.size()));
  set.mutable_time_refs()->Reserve(static_cast<int>(entries.size()));
  uint32_t previous = 0;
  for (const auto& e : entries) {
    set.add_title_gaps(e.title - previous);
    previous = e.title;
    set.add_version_ranks(e.version_rank);
    set.add_time_refs(static_cast<uint32_t>(
        std::lower_bound(times.begin(), times.end(), e.install_time) - times.begin()));
  }
  int64_t last = 0;
  for (int64_t t : times) {
    set.add_install_times(t - last);
    last = t;
  }
  for (const auto& x : software.exceptions) *set.add_exceptions() = x;
  set.set_baseline_at(software.baseline_at);
  set.set_baseline_by(software.baseline_by);
  return set.SerializeAsString();
}

void ApplySoftwareOps(const v1::SoftwareSetOps& ops, HostSoftware* software) {
  auto& entries = software->entries;
  for (const auto& u : ops.upserts()) {
    auto it = std::lower_bound(entries.begin(), entries.end(), u.title(),
                               [](const SoftwareEntry& e, uint32_t t) { return e.title < t; });
    const SoftwareEntry entry{u.title(), u.version_rank(), u.install_time()};
    if (it != entries.end() && it->title == u.title()) {
      *it = entry;
    } else {
      entries.insert(it, entry);
    }
  }
  for (uint32_t title : ops.removed_titles()) {
    auto it = std::lower_bound(entries.begin(), entries.end(), title,
                               [](const SoftwareEntry& e, uint32_t t) { return e.title < t; });
    if (it != entries.end() && it->title == title) entries.erase(it);
  }
  auto& exceptions = software->exceptions;
  auto locate = [&](uint32_t title) {
    return std::lower_bound(
        exceptions.begin(), exceptions.end(), title,
        [](const v1::BaselineException& e, uint32_t t) { return e.title() < t; });
  };
  for (const auto& x : ops.exceptions_set()) {
    auto it = locate(x.title());
    if (it != exceptions.end() && it->title() == x.title()) {
      *it = x;
    } else {
      exceptions.insert(it, x);
    }
  }
  for (uint32_t title : ops.exceptions_cleared()) {
    auto it = locate(title);
    if (it != exceptions.end() && it->title() == title) exceptions.erase(it);
  }
}

bool MergeSoftwareSet(const std::string_view* existing, std::string_view operand,
                      std::string* merged) {
  HostSoftware software;
  if (existing != nullptr && !DecodeSoftwareSet(*existing, &software)) return false;
  v1::SoftwareSetOps ops;
  if (!ops.ParseFromArray(operand.data(), static_cast<int>(operand.size()))) return false;
  ApplySoftwareOps(ops, &software);
  *merged = EncodeSoftwareSet(software);
  return true;
}

std::string EncodeCounter(int64_t value) {
  std::string out(sizeof value, '\0');
  std::memcpy(out.data(), &value, sizeof value);
  return out;
}

int64_t DecodeCounter(std::string_view bytes) {
  int64_t value = 0;
  if (bytes.size() == sizeof value) std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

bool MergeCounter(const std::string_view* existing, std::string_view operand, std::string* merged) {
  if (operand.size() != sizeof(int64_t)) return false;
  if (existing != nullptr && existing->size() != sizeof(int64_t)) return false;
  *merged = EncodeCounter((existing ? DecodeCounter(*existing) : 0) + DecodeCounter(operand));
  return true;
}

}  // namespace estate::collector
