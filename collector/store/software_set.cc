#include "collector/store/software_set.h"

#include <algorithm>
#include <cstring>
#include <span>

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

constexpr char kSetFormat = 'S';        // as written before sets had marks; still read
constexpr char kMarkedSetFormat = 'T';  // what is written
// A mark every 64 entries: a lookup decodes at most 64 titles per title asked
// for, for ~6 bytes a mark (~4% of a set).
constexpr uint64_t kMarkStride = 64;
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
    if (p_ != end_ && *p_ < 0x80) return *p_++;  // most titles' gaps, ranks, references
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
  // Passes `n` values without decoding them: a value ends at each byte below 0x80.
  void Skip(uint64_t n) {
    while (n > 0 && p_ != end_) n -= *p_++ < 0x80;
    if (n > 0) ok_ = false;
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

bool IsSoftwareSet(std::string_view bytes) {
  return !bytes.empty() && (bytes[0] == kSetFormat || bytes[0] == kMarkedSetFormat);
}

namespace {

// Where entry index * kMarkStride starts: the title before it and its byte
// offset in each column.
struct Mark {
  uint64_t index = 0;
  uint32_t title_before = 0;
  uint64_t gaps = 0, ranks = 0, refs = 0;
};

uint64_t MarkCount(uint64_t n) { return n == 0 ? 0 : (n - 1) / kMarkStride; }

// The layout of a stored set: counts, and where the install times, the marks,
// each column and the tail (exceptions, baseline) begin.
struct SetLayout {
  uint64_t n = 0, n_times = 0, n_marks = 0;
  std::string_view times, marks, gaps, ranks, refs, tail;
};

bool ParseLayout(std::string_view bytes, SetLayout* out) {
  if (!IsSoftwareSet(bytes)) return false;
  const bool marked = bytes[0] == kMarkedSetFormat;
  VarintReader in(bytes.substr(1));
  out->n = in.Next();
  out->n_times = in.Next();
  const uint64_t gaps = in.Next(), ranks = in.Next(), refs = in.Next();
  const uint64_t marks = marked ? in.Next() : 0;
  // Each entry and time takes at least a byte: refuse counts the bytes cannot hold.
  if (!in.ok() || out->n > in.left() || out->n_times > in.left()) return false;
  out->n_marks = marked ? MarkCount(out->n) : 0;
  out->marks = in.Bytes(marks);
  // The times run up to the first column; their count says where they end.
  const size_t before_times = in.left();
  in.Skip(out->n_times);
  out->times =
      std::string_view(bytes.data() + bytes.size() - before_times, before_times - in.left());
  out->gaps = in.Bytes(gaps);
  out->ranks = in.Bytes(ranks);
  out->refs = in.Bytes(refs);
  out->tail = in.Bytes(in.left());
  return in.ok();
}

// The install times, in first-seen order.
bool DecodeTimes(const SetLayout& layout, std::vector<int64_t>* times) {
  VarintReader in(layout.times);
  times->resize(layout.n_times);
  int64_t last = 0;
  for (auto& t : *times) {
    last += UnZigZag(in.Next());
    t = last;
  }
  return in.ok() && in.done();
}

// The marks, checked against the columns they point into.
bool DecodeMarks(const SetLayout& layout, std::vector<Mark>* marks) {
  VarintReader in(layout.marks);
  marks->resize(layout.n_marks);
  Mark last;
  for (auto& m : *marks) {
    m.index = last.index + kMarkStride;
    m.title_before = last.title_before + static_cast<uint32_t>(in.Next());
    m.gaps = last.gaps + in.Next();
    m.ranks = last.ranks + in.Next();
    m.refs = last.refs + in.Next();
    if (m.gaps > layout.gaps.size() || m.ranks > layout.ranks.size() ||
        m.refs > layout.refs.size() || m.title_before < last.title_before) {
      return false;
    }
    last = m;
  }
  return in.ok() && in.done();
}

bool ParseTail(std::string_view tail, std::vector<SoftwareException>* exceptions,
               int64_t* baseline_at, std::string* baseline_by) {
  VarintReader in(tail);
  const uint64_t n_exceptions = in.Next();
  if (!in.ok() || n_exceptions > in.left()) return false;
  exceptions->resize(n_exceptions);
  for (auto& x : *exceptions) {
    x.title = static_cast<uint32_t>(in.Next());
    x.version = static_cast<uint32_t>(in.Next());
    x.since = UnZigZag(in.Next());
  }
  *baseline_at = UnZigZag(in.Next());
  *baseline_by = std::string(in.Bytes(in.Next()));
  return in.ok() && in.done();
}

}  // namespace

bool DecodeSoftwareSet(std::string_view bytes, HostSoftware* out) {
  SetLayout layout;
  std::vector<int64_t> times;
  if (!ParseLayout(bytes, &layout) || !DecodeTimes(layout, &times)) return false;
  VarintReader gaps(layout.gaps), ranks(layout.ranks), refs(layout.refs);
  out->entries.resize(layout.n);
  uint32_t title = 0;
  for (auto& e : out->entries) {
    title += static_cast<uint32_t>(gaps.Next());
    e.title = title;
    e.version_rank = static_cast<uint32_t>(ranks.Next());
    const uint64_t ref = refs.Next();
    if (ref >= times.size()) return false;
    e.install_time = times[ref];
  }
  if (!gaps.ok() || !gaps.done() || !ranks.ok() || !ranks.done() || !refs.ok() || !refs.done()) {
    return false;
  }
  return ParseTail(layout.tail, &out->exceptions, &out->baseline_at, &out->baseline_by);
}

namespace {

// Finds the entries of `titles` (sorted, unique) in a stored set: for each,
// its entry index and its slot in `titles`, in order. Jumps from mark to mark
// and decodes only the titles after the last mark below each one asked for.
bool FindTitles(const SetLayout& layout, const std::vector<Mark>& marks,
                const std::vector<uint32_t>& titles,
                std::vector<std::pair<uint64_t, size_t>>* hits) {
  VarintReader gaps(layout.gaps);
  uint64_t next = 0;   // the index of the entry `gaps` yields next
  uint32_t title = 0;  // the title of entry next - 1
  for (size_t w = 0; w < titles.size(); ++w) {
    const uint32_t want = titles[w];
    // The last mark whose title before is below `want`: `want` is at or after it.
    auto mark = std::partition_point(marks.begin(), marks.end(),
                                     [&](const Mark& m) { return m.title_before < want; });
    if (mark != marks.begin() && std::prev(mark)->index > next) {
      --mark;
      next = mark->index;
      title = mark->title_before;
      gaps = VarintReader(layout.gaps.substr(mark->gaps));
    }
    while (title < want && next < layout.n) {
      title += static_cast<uint32_t>(gaps.Next());
      ++next;
    }
    if (!gaps.ok()) return false;
    if (next > 0 && title == want) hits->emplace_back(next - 1, w);
    if (next == layout.n && title < want) break;  // past the last entry
  }
  return true;
}

// Per-thread scratch for lookups: one per report on the apply thread, so
// nothing is allocated once they have grown.
struct LookupScratch {
  std::vector<int64_t> times;
  std::vector<Mark> marks;
  std::vector<std::pair<uint64_t, size_t>> hits;  // (entry index, into titles)
  // Parsed operands: cleared, not destroyed, so their repeated fields keep
  // the messages they allocated for the next report's operands.
  std::vector<v1::SoftwareSetOps> ops;
};

}  // namespace

namespace {

// Fills `found(slot, entry)` for each of `titles` (sorted, unique) that the
// decoded set holds, slot being its index in `titles`: ranks and install
// times read from the nearest mark before each.
template <typename TimeAt, typename Found>
bool PeekBase(const SetLayout& layout, const std::vector<Mark>& marks, TimeAt time_at,
              const std::vector<uint32_t>& titles, std::vector<std::pair<uint64_t, size_t>>* hits,
              Found found) {
  hits->clear();
  if (!FindTitles(layout, marks, titles, hits)) return false;
  VarintReader ranks(layout.ranks), refs(layout.refs);
  uint64_t at = 0;
  for (const auto& [index, slot] : *hits) {
    const uint64_t m = index / kMarkStride;
    if (m > 0 && marks[m - 1].index > at) {
      const Mark& mark = marks[m - 1];
      ranks = VarintReader(layout.ranks.substr(mark.ranks));
      refs = VarintReader(layout.refs.substr(mark.refs));
      at = mark.index;
    }
    ranks.Skip(index - at);
    refs.Skip(index - at);
    const uint64_t rank = ranks.Next(), ref = refs.Next();
    at = index + 1;
    int64_t time = 0;
    if (!ranks.ok() || !refs.ok() || ref >= layout.n_times || !time_at(ref, &time)) return false;
    found(slot, SoftwareEntry{titles[slot], static_cast<uint32_t>(rank), time});
  }
  return true;
}

void SortUnique(std::vector<uint32_t>* titles) {
  std::sort(titles->begin(), titles->end());
  titles->erase(std::unique(titles->begin(), titles->end()), titles->end());
}

// Parses `operands` into `ops` (grown as needed; its messages are reused) and
// adds the titles they upsert or remove to `titles`. False when one is unparsable.
bool DecodeOperands(const std::vector<std::string>& operands, std::vector<v1::SoftwareSetOps>* ops,
                    std::vector<uint32_t>* titles) {
  if (ops->size() < operands.size()) ops->resize(operands.size());
  for (size_t i = 0; i < operands.size(); ++i) {
    if (!DecodeSoftwareOps(operands[i], &(*ops)[i])) return false;
    for (const auto& u : (*ops)[i].upserts()) titles->push_back(u.title());
    for (uint32_t t : (*ops)[i].removed_titles()) titles->push_back(t);
  }
  return true;
}

// One operand over a peek: `slot_of(title)` is where the title's entry is
// kept (nullopt: not installed); the count and exceptions move with it.
template <typename SlotOf>
void ReplayOperand(const v1::SoftwareSetOps& o, SlotOf slot_of, SoftwarePeek* state) {
  for (const auto& u : o.upserts()) {
    auto* slot = slot_of(u.title());
    if (!slot->has_value()) ++state->count;
    *slot = SoftwareEntry{u.title(), u.version_rank(), u.install_time()};
  }
  for (uint32_t t : o.removed_titles()) {
    auto* slot = slot_of(t);
    if (slot->has_value()) --state->count;
    slot->reset();
  }
  for (const auto& x : o.exceptions_set()) {
    SetException(&state->exceptions, {x.title(), x.version(), x.since()});
  }
  for (uint32_t t : o.exceptions_cleared()) ClearException(&state->exceptions, t);
}

}  // namespace

bool LookupSoftware(const std::optional<std::string>& base,
                    const std::vector<std::string>& operands, std::vector<uint32_t> titles,
                    SoftwarePeek* out) {
  *out = SoftwarePeek();
  thread_local LookupScratch scratch;
  if (!DecodeOperands(operands, &scratch.ops, &titles)) return false;
  const std::span<v1::SoftwareSetOps> ops(scratch.ops.data(), operands.size());
  SortUnique(&titles);
  out->exists = base.has_value() || !operands.empty();
  out->entries.reserve(titles.size());
  for (uint32_t t : titles) out->entries.emplace_back(t, std::nullopt);
  if (base) {
    SetLayout layout;
    if (!ParseLayout(*base, &layout) || !DecodeTimes(layout, &scratch.times) ||
        !DecodeMarks(layout, &scratch.marks)) {
      return false;
    }
    out->count = layout.n;
    auto time_at = [&](uint64_t ref, int64_t* t) {
      *t = scratch.times[ref];
      return true;
    };
    if (!PeekBase(layout, scratch.marks, time_at, titles, &scratch.hits,
                  [&](size_t slot, const SoftwareEntry& e) { out->entries[slot].second = e; })) {
      return false;
    }
    if (!ParseTail(layout.tail, &out->exceptions, &out->baseline_at, &out->baseline_by)) {
      return false;
    }
  }
  // The operands written since, in order.
  for (const auto& o : ops) {
    ReplayOperand(
        o, [&](uint32_t title) { return out->Slot(title); }, out);
  }
  return true;
}

struct PreparedSoftwareSet::Decoded {
  SetLayout layout;  // views into *base_
  std::vector<Mark> marks;
  // Every 64th install time and where the next one starts in layout.times:
  // a lookup decodes at most 63 times, and memory holds ~1/64 of them.
  struct TimeMark {
    uint32_t offset = 0;
    int64_t time = 0;
  };
  std::vector<TimeMark> time_marks;
  // What the operands changed, sorted by title; nullopt: removed.
  std::vector<std::pair<uint32_t, std::optional<SoftwareEntry>>> changed;
  SoftwarePeek state;  // exists, count, exceptions and baseline; no entries

  bool MarkTimes() {
    VarintReader in(layout.times);
    time_marks.reserve(layout.n_times / kMarkStride + 1);
    int64_t last = 0;
    for (uint64_t i = 0; i < layout.n_times; ++i) {
      last += UnZigZag(in.Next());
      if (i % kMarkStride == 0) {
        time_marks.push_back({static_cast<uint32_t>(layout.times.size() - in.left()), last});
      }
    }
    return in.ok() && in.done();
  }
  bool TimeAt(uint64_t ref, int64_t* time) const {
    const TimeMark& mark = time_marks[ref / kMarkStride];
    VarintReader in(layout.times.substr(mark.offset));
    int64_t t = mark.time;
    for (uint64_t i = 0; i < ref % kMarkStride; ++i) t += UnZigZag(in.Next());
    *time = t;
    return in.ok();
  }

  std::optional<SoftwareEntry>* Changed(uint32_t title) {
    auto it = std::lower_bound(changed.begin(), changed.end(), title,
                               [](const auto& e, uint32_t t) { return e.first < t; });
    if (it == changed.end() || it->first != title) it = changed.emplace(it, title, std::nullopt);
    return &it->second;
  }
};

PreparedSoftwareSet::PreparedSoftwareSet() : d_(std::make_unique<Decoded>()) {}
PreparedSoftwareSet::~PreparedSoftwareSet() = default;

bool PreparedSoftwareSet::Prepare(std::optional<std::string> base,
                                  const std::vector<std::string>& operands) {
  base_ = std::move(base);
  operand_count_ = operands.size();
  *d_ = Decoded();
  Decoded& d = *d_;
  d.state.exists = base_.has_value() || !operands.empty();
  if (base_) {
    if (!ParseLayout(*base_, &d.layout) || !d.MarkTimes() || !DecodeMarks(d.layout, &d.marks) ||
        !ParseTail(d.layout.tail, &d.state.exceptions, &d.state.baseline_at,
                   &d.state.baseline_by)) {
      return false;
    }
    d.state.count = d.layout.n;
  }
  if (operands.empty()) return true;
  // The operands' titles as the set holds them, then each operand in order.
  thread_local LookupScratch scratch;
  std::vector<uint32_t> titles;
  if (!DecodeOperands(operands, &scratch.ops, &titles)) return false;
  SortUnique(&titles);
  d.changed.reserve(titles.size());
  for (uint32_t t : titles) d.changed.emplace_back(t, std::nullopt);
  auto time_at = [&](uint64_t ref, int64_t* t) { return d.TimeAt(ref, t); };
  if (base_ &&
      !PeekBase(d.layout, d.marks, time_at, titles, &scratch.hits,
                [&](size_t slot, const SoftwareEntry& e) { d.changed[slot].second = e; })) {
    return false;
  }
  for (size_t i = 0; i < operands.size(); ++i) {
    ReplayOperand(
        scratch.ops[i], [&](uint32_t title) { return d.Changed(title); }, &d.state);
  }
  return true;
}

bool PreparedSoftwareSet::Lookup(std::vector<uint32_t> titles, SoftwarePeek* out) const {
  const Decoded& d = *d_;
  SortUnique(&titles);
  out->exists = d.state.exists;
  out->count = d.state.count;
  out->exceptions = d.state.exceptions;
  out->baseline_at = d.state.baseline_at;
  out->baseline_by = d.state.baseline_by;
  out->entries.clear();
  out->entries.reserve(titles.size());
  // Titles an operand changed are answered here; the rest from the set.
  thread_local std::vector<uint32_t> in_base;
  thread_local std::vector<size_t> slot_of;
  thread_local std::vector<std::pair<uint64_t, size_t>> hits;
  in_base.clear();
  slot_of.clear();
  for (uint32_t t : titles) {
    auto it = std::lower_bound(d.changed.begin(), d.changed.end(), t,
                               [](const auto& e, uint32_t title) { return e.first < title; });
    if (it != d.changed.end() && it->first == t) {
      out->entries.emplace_back(t, it->second);
    } else {
      out->entries.emplace_back(t, std::nullopt);
      in_base.push_back(t);
      slot_of.push_back(out->entries.size() - 1);
    }
  }
  if (!base_ || in_base.empty()) return true;
  auto time_at = [&](uint64_t ref, int64_t* t) { return d.TimeAt(ref, t); };
  return PeekBase(
      d.layout, d.marks, time_at, in_base, &hits,
      [&](size_t slot, const SoftwareEntry& e) { out->entries[slot_of[slot]].second = e; });
}

void PreparedSoftwareSet::Append(const v1::SoftwareSetOps& ops, size_t count,
                                 std::vector<SoftwareException> exceptions) {
  ++operand_count_;
  Decoded& d = *d_;
  for (const auto& u : ops.upserts()) {
    *d.Changed(u.title()) = SoftwareEntry{u.title(), u.version_rank(), u.install_time()};
  }
  for (uint32_t t : ops.removed_titles()) d.Changed(t)->reset();
  d.state.exists = true;
  d.state.count = count;
  d.state.exceptions = std::move(exceptions);
}

bool PreparedSoftwareSet::Fold(HostSoftware* out) const {
  const Decoded& d = *d_;
  HostSoftware base;
  if (base_ && !DecodeSoftwareSet(*base_, &base)) return false;
  // Both sorted by title: the set's entries, with the operands' changes over them.
  out->entries.clear();
  out->entries.reserve(base.entries.size() + d.changed.size());
  auto c = d.changed.begin();
  for (const SoftwareEntry& e : base.entries) {
    for (; c != d.changed.end() && c->first < e.title; ++c) {
      if (c->second) out->entries.push_back(*c->second);
    }
    if (c != d.changed.end() && c->first == e.title) {
      if (c->second) out->entries.push_back(*c->second);
      ++c;
    } else {
      out->entries.push_back(e);
    }
  }
  for (; c != d.changed.end(); ++c) {
    if (c->second) out->entries.push_back(*c->second);
  }
  out->exceptions = d.state.exceptions;
  out->baseline_at = d.state.baseline_at;
  out->baseline_by = d.state.baseline_by;
  return true;
}

size_t PreparedSoftwareSet::MemoryBytes() const {
  const Decoded& d = *d_;
  size_t n =
      sizeof(*this) + sizeof(Decoded) + (base_ ? base_->capacity() : 0) +
      d.marks.capacity() * sizeof(Mark) + d.time_marks.capacity() * sizeof(Decoded::TimeMark) +
      d.changed.capacity() * sizeof(d.changed[0]) +
      d.state.exceptions.capacity() * sizeof(SoftwareException) + d.state.baseline_by.capacity();
  return n;
}

std::optional<SoftwareEntry>* SoftwarePeek::Slot(uint32_t title) {
  auto it = std::lower_bound(entries.begin(), entries.end(), title,
                             [](const auto& e, uint32_t t) { return e.first < t; });
  return it != entries.end() && it->first == title ? &it->second : nullptr;
}

const SoftwareEntry* SoftwarePeek::Find(uint32_t title) const {
  auto* slot = const_cast<SoftwarePeek*>(this)->Slot(title);
  return slot && slot->has_value() ? &**slot : nullptr;
}

std::string EncodeSoftwareSet(const HostSoftware& software) {
  const auto& entries = software.entries;
  TimeDictionary dictionary(entries.size() / 8 + 8);
  std::string gaps, ranks, refs;
  gaps.reserve(entries.size() * 2);
  ranks.reserve(entries.size());
  refs.reserve(entries.size());
  std::string marks;
  Mark last_mark;
  uint32_t previous = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const SoftwareEntry& e = entries[i];
    if (i > 0 && i % kMarkStride == 0) {
      PutVarint(&marks, previous - last_mark.title_before);
      PutVarint(&marks, gaps.size() - last_mark.gaps);
      PutVarint(&marks, ranks.size() - last_mark.ranks);
      PutVarint(&marks, refs.size() - last_mark.refs);
      last_mark = {i, previous, gaps.size(), ranks.size(), refs.size()};
    }
    PutVarint(&gaps, e.title - previous);
    previous = e.title;
    PutVarint(&ranks, e.version_rank);
    PutVarint(&refs, dictionary.IndexOf(e.install_time));
  }
  std::string out;
  out.reserve(40 + marks.size() + gaps.size() + ranks.size() + refs.size() +
              dictionary.times().size() * 5 + software.exceptions.size() * 12 +
              software.baseline_by.size());
  out.push_back(kMarkedSetFormat);
  PutVarint(&out, entries.size());
  PutVarint(&out, dictionary.times().size());
  // Column lengths: a reader after a few titles jumps straight to each column.
  PutVarint(&out, gaps.size());
  PutVarint(&out, ranks.size());
  PutVarint(&out, refs.size());
  PutVarint(&out, marks.size());
  out += marks;
  int64_t last = 0;
  for (int64_t t : dictionary.times()) {
    PutVarint(&out, ZigZag(t - last));
    last = t;
  }
  out += gaps;
  out += ranks;
  out += refs;
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
