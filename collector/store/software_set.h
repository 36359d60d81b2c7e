// The stored form of one node's packages: references into the software
// catalogue instead of names and versions repeated on every host. 1,500
// packages take ~3 KB before compression against ~185 KB as v1::Package
// messages. The same record carries the software drift baseline as
// exceptions (titles whose approved state differs from the current one), so
// the baseline costs nothing while a host matches it.
//
// Format (every number a varint; columns, so alike values sit together):
//   'T' n_entries n_times |gaps| |ranks| |refs| (column byte lengths) |marks|
//   marks[(n - 1) / 64] (title before, gaps, ranks, refs offsets of entry
//                        64k, each a delta from the mark before)
//   times[n_times] (zigzag deltas, first-seen order)
//   title_gaps[n] ranks[n] time_refs[n]
//   n_exceptions (title version since)[n_exceptions] baseline_at |by| by
// The marks let a lookup of a few titles decode at most 64 entries for each
// instead of walking the title column. 'S' is the same without |marks| and
// marks, as written before them; it is still read.
// Changes travel as merge operands: 'O' + v1::SoftwareSetOps. The first byte
// tells a set from an operand, so a reader given the stored parts (a set and
// the operands written after it) decodes the set once and applies the rest.
//
// Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_STORE_SOFTWARE_SET_H_
#define ESTATE_COLLECTOR_STORE_SOFTWARE_SET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct SoftwareEntry {
  uint32_t title = 0;
  uint32_t version_rank = 0;  // index into the catalogue title's versions
  int64_t install_time = 0;

  bool operator==(const SoftwareEntry&) const = default;
};

// A title whose approved (baseline) state differs from the current one: one
// open software drift item.
struct SoftwareException {
  uint32_t title = 0;
  uint32_t version = 0;  // the approved version id; 0: the title was not installed
  int64_t since = 0;     // when the difference was first seen

  bool operator==(const SoftwareException&) const = default;
};

struct HostSoftware {
  std::vector<SoftwareEntry> entries;         // sorted by title, one per title
  std::vector<SoftwareException> exceptions;  // sorted by title, one per title
  int64_t baseline_at = 0;
  std::string baseline_by;

  // The entry of `title`, or nullptr.
  const SoftwareEntry* Find(uint32_t title) const;
  const SoftwareException* FindException(uint32_t title) const;
};

// Sets or clears one exception of a sorted list, as SoftwareSetOps do.
void SetException(std::vector<SoftwareException>* exceptions, const SoftwareException& x);
void ClearException(std::vector<SoftwareException>* exceptions, uint32_t title);

// False when the bytes are not a software set (or refer past their own tables).
bool DecodeSoftwareSet(std::string_view bytes, HostSoftware* out);
std::string EncodeSoftwareSet(const HostSoftware& software);
bool IsSoftwareSet(std::string_view bytes);

// The merge operand for `ops`, and back; false when `bytes` is not one.
std::string EncodeSoftwareOps(const v1::SoftwareSetOps& ops);
bool DecodeSoftwareOps(std::string_view bytes, v1::SoftwareSetOps* ops);

// Applies `ops` in order: upserts replace or add, removals drop titles,
// exceptions are set or cleared. Keeps both lists sorted.
void ApplySoftwareOps(const v1::SoftwareSetOps& ops, HostSoftware* software);

// A set from its stored parts: `base` (nullopt: none) and the operands
// written after it, oldest first. False when one is unparsable.
bool FoldSoftwareParts(const std::optional<std::string>& base,
                       const std::vector<std::string>& operands, HostSoftware* out);

// What a report that changes a few titles needs of a stored set, without
// decoding its other entries: how many packages, the exceptions, and the
// entries of the titles asked for (and of those the operands touch).
struct SoftwarePeek {
  bool exists = false;  // a set or operands are stored
  size_t count = 0;
  std::vector<SoftwareException> exceptions;
  int64_t baseline_at = 0;
  std::string baseline_by;
  // The entry of a title asked for, or nullptr when it is not installed.
  const SoftwareEntry* Find(uint32_t title) const;

  // Sorted by title; nullopt: not installed.
  std::vector<std::pair<uint32_t, std::optional<SoftwareEntry>>> entries;
  std::optional<SoftwareEntry>* Slot(uint32_t title);
};
bool LookupSoftware(const std::optional<std::string>& base,
                    const std::vector<std::string>& operands, std::vector<uint32_t> titles,
                    SoftwarePeek* out);

// One node's stored parts (its set and the operands written after it),
// decoded once for a run of deltas: the set's layout, marks and a mark every
// 64 install times, and what the operands changed, by title (the operands
// themselves are not kept). Lookup() answers as LookupSoftware over the same
// parts without decoding them again; Append() follows a delta's operand,
// Prepare() of a new set a fold, and Fold() is FoldSoftwareParts. The
// decoded views point into the set this object holds, so it is neither
// copied nor moved. Not thread-safe.
class PreparedSoftwareSet {
 public:
  PreparedSoftwareSet();
  ~PreparedSoftwareSet();
  PreparedSoftwareSet(const PreparedSoftwareSet&) = delete;
  PreparedSoftwareSet& operator=(const PreparedSoftwareSet&) = delete;

  // False when a part is unparsable (the object then answers nothing useful).
  bool Prepare(std::optional<std::string> base, const std::vector<std::string>& operands);
  // As LookupSoftware, except that `out->entries` holds only the titles asked for.
  bool Lookup(std::vector<uint32_t> titles, SoftwarePeek* out) const;
  // The operand of `ops` was written after the parts: the set now holds
  // `count` entries and `exceptions`.
  void Append(const v1::SoftwareSetOps& ops, size_t count,
              std::vector<SoftwareException> exceptions);
  // The whole set, as FoldSoftwareParts over the parts gives it.
  bool Fold(HostSoftware* out) const;

  const std::optional<std::string>& base() const { return base_; }
  size_t operand_count() const { return operand_count_; }
  bool empty() const { return !base_ && operand_count_ == 0; }
  size_t MemoryBytes() const;

 private:
  struct Decoded;
  std::optional<std::string> base_;
  size_t operand_count_ = 0;
  std::unique_ptr<Decoded> d_;
};

// The software table's merge: `existing` (nullptr: no set yet) with one
// serialized v1::SoftwareSetOps folded in. False when either is unparsable.
bool MergeSoftwareSet(const std::string_view* existing, std::string_view operand,
                      std::string* merged);

// Install counters (software_counts table): a signed 64-bit sum, merged by addition.
std::string EncodeCounter(int64_t value);
// 0 for bytes that are not a counter.
int64_t DecodeCounter(std::string_view bytes);
bool MergeCounter(const std::string_view* existing, std::string_view operand, std::string* merged);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_SOFTWARE_SET_H_
