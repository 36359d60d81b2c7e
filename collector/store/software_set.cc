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
uint32_t ExceptionTitle(const SoftwareException& e) { return e.title; }

}  // namespace

const SoftwareEntry* HostSoftware::Find(uint32_t title) const {
  return FindByTitle(entries, title, &EntryTitle);
}

const SoftwareException* HostSoftware::FindException(uint32_t title) const {
  return FindByTitle(exceptions, title, &ExceptionTitle);
}

void SetException(std::vector<SoftwareException>* exceptions, const SoftwareException& x) {
  auto it = std::lower_bound(exceptions->begin(), exceptions->end(), x.title,
                             [](const SoftwareException& e, uint32_t t) { return e.title < t; });
  if (it != exceptions->end() && it->title == x.title) {
    *it = x;
  } else {
    exceptions->insert(it, x);
  }
}

void ClearException(std::vector<SoftwareException>* exceptions, uint32_t title) {
  auto it = std::lower_bound(exceptions->begin(), exceptions->end(), title,
                             [](const SoftwareException& e, uint32_t t) { return e.title < t; });
  if (it != exceptions->end() && it->title == title) exceptions->erase(it);
}

namespace {

constexpr char kSetFormat = 'S';
constexpr char kOpsFormat = 'O';

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// Reads varints off a byte range; any overrun marks it failed.
class VarintReader {
 public:
  explicit VarintReader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(p_ + bytes.size()) {}
  uint64_t Next() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) {
        ok_ = false;
        return 0;
      }
      const uint8_t b = *p_++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    ok_ = false;
    return 0;
  }
  std::string_view Bytes(uint64_t n) {
    if (static_cast<uint64_t>(end_ - p_) < n) {
      ok_ = false;
      return {};
    }
    std::string_view out(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return out;
  }
  bool ok() const { return ok_; }
  bool done() const { return p_ == end_; }
  size_t left() const { return static_cast<size_t>(end_ - p_); }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

// Install times seen so far, each with its index: a small open-addressing
// table, since a host's times cluster in a few apt transactions. It doubles
// when half full, so any number of distinct times fits.
class TimeDictionary {
 public:
  explicit TimeDictionary(size_t expected) {
    size_t size = 64;
    while (size < expected * 2) size <<= 1;
    slots_.assign(size, kEmpty);
  }
  uint32_t IndexOf(int64_t t) {
    size_t i = Find(t);
    if (slots_[i] != kEmpty) return slots_[i];
    if ((times_.size() + 1) * 2 > slots_.size()) {
      Grow();
      i = Find(t);
    }
    slots_[i] = static_cast<uint32_t>(times_.size());
    times_.push_back(t);
    return slots_[i];
  }
  const std::vector<int64_t>& times() const { return times_; }

 private:
  static constexpr uint32_t kEmpty = ~0u;
  // The slot holding `t`, or the empty slot where it belongs.
  size_t Find(int64_t t) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = (static_cast<uint64_t>(t) * 0x9E3779B97F4A7C15ull >> 40) & mask;;
         i = (i + 1) & mask) {
      if (slots_[i] == kEmpty || times_[slots_[i]] == t) return i;
    }
  }
  void Grow() {
    slots_.assign(slots_.size() * 2, kEmpty);
    for (uint32_t index = 0; index < times_.size(); ++index) slots_[Find(times_[index])] = index;
  }
  std::vector<uint32_t> slots_;  // index into times_, or kEmpty
  std::vector<int64_t> times_;
};

}  // namespace

bool IsSoftwareSet(std::string_view bytes) { return !bytes.empty() && bytes[0] == kSetFormat; }

bool DecodeSoftwareSet(std::string_view bytes, HostSoftware* out) {
  if (!IsSoftwareSet(bytes)) return false;
  VarintReader in(bytes.substr(1));
  const uint64_t n = in.Next();
  const uint64_t n_times = in.Next();
  // Each entry and time takes at least a byte: refuse counts the bytes cannot hold.
  if (!in.ok() || n > in.left() || n_times > in.left()) return false;
  std::vector<int64_t> times(n_times);
  int64_t last = 0;
  for (auto& t : times) {
    last += UnZigZag(in.Next());
    t = last;
  }
  out->entries.resize(n);
  uint32_t title = 0;
  for (auto& e : out->entries) {
    title += static_cast<uint32_t>(in.Next());
    e.title = title;
  }
  for (auto& e : out->entries) e.version_rank = static_cast<uint32_t>(in.Next());
  for (auto& e : out->entries) {
    const uint64_t ref = in.Next();
    if (ref >= times.size()) return false;
    e.install_time = times[ref];
  }
  const uint64_t n_exceptions = in.Next();
  if (!in.ok() || n_exceptions > in.left()) return false;
  out->exceptions.resize(n_exceptions);
  for (auto& x : out->exceptions) {
    x.title = static_cast<uint32_t>(in.Next());
    x.version = static_cast<uint32_t>(in.Next());
    x.since = UnZigZag(in.Next());
  }
  out->baseline_at = UnZigZag(in.Next());
  out->baseline_by = std::string(in.Bytes(in.Next()));
  return in.ok() && in.done();
}

std::string EncodeSoftwareSet(const HostSoftware& software) {
  const auto& entries = software.entries;
  TimeDictionary dictionary(entries.size() / 8 + 8);
  std::vector<uint32_t> refs;
  refs.reserve(entries.size());
  for (const auto& e : entries) refs.push_back(dictionary.IndexOf(e.install_time));
  std::string out;
  out.reserve(16 + entries.size() * 3 + dictionary.times().size() * 5 +
              software.exceptions.size() * 12 + software.baseline_by.size());
  out.push_back(kSetFormat);
  PutVarint(&out, entries.size());
  PutVarint(&out, dictionary.times().size());
  int64_t last = 0;
  for (int64_t t : dictionary.times()) {
    PutVarint(&out, ZigZag(t - last));
    last = t;
  }
  uint32_t previous = 0;
  for (const auto& e : entries) {
    PutVarint(&out, e.title - previous);
    previous = e.title;
  }
  for (const auto& e : entries) PutVarint(&out, e.version_rank);
  for (uint32_t ref : refs) PutVarint(&out, ref);
  PutVarint(&out, software.exceptions.size());
  for (const auto& x : software.exceptions) {
    PutVarint(&out, x.title);
    PutVarint(&out, x.version);
    PutVarint(&out, ZigZag(x.since));
  }
  PutVarint(&out, ZigZag(software.baseline_at));
  PutVarint(&out, software.baseline_by.size());
  out.append(software.baseline_by);
  return out;
}

std::string EncodeSoftwareOps(const v1::SoftwareSetOps& ops) {
  std::string out(1, kOpsFormat);
  ops.AppendToString(&out);
  return out;
}

bool DecodeSoftwareOps(std::string_view bytes, v1::SoftwareSetOps* ops) {
  if (bytes.empty() || bytes[0] != kOpsFormat) return false;
  return ops->ParseFromArray(bytes.data() + 1, static_cast<int>(bytes.size() - 1));
}

bool FoldSoftwareParts(const std::optional<std::string>& base,
                       const std::vector<std::string>& operands, HostSoftware* out) {
  *out = HostSoftware();
  if (base && !DecodeSoftwareSet(*base, out)) return false;
  v1::SoftwareSetOps ops;
  for (const auto& operand : operands) {
    if (!DecodeSoftwareOps(operand, &ops)) return false;
    ApplySoftwareOps(ops, out);
  }
  return true;
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
  for (const auto& x : ops.exceptions_set()) {
    SetException(&software->exceptions, {x.title(), x.version(), x.since()});
  }
  for (uint32_t title : ops.exceptions_cleared()) ClearException(&software->exceptions, title);
}

bool MergeSoftwareSet(const std::string_view* existing, std::string_view operand,
                      std::string* merged) {
  HostSoftware software;
  if (existing != nullptr && !DecodeSoftwareSet(*existing, &software)) return false;
  v1::SoftwareSetOps ops;
  if (!DecodeSoftwareOps(operand, &ops)) return false;
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
