// The stored form of one node's packages (v1::SoftwareSet): references into
// the software catalogue — title ids as gaps, version ranks, install times
// dictionary-coded — instead of names and versions repeated on every host.
// 1,500 packages take ~3 KB before compression and ~1 KB after, against
// ~185 KB as v1::Package messages. The same record carries the software drift
// baseline as exceptions (titles whose approved state differs from the
// current one), so the baseline costs nothing while a host matches it.
//
// Changes travel as v1::SoftwareSetOps merge operands: the software table's
// RocksDB merge operator folds them in with MergeSoftwareSet. Pure functions;
// thread-safe.
#ifndef ESTATE_COLLECTOR_STORE_SOFTWARE_SET_H_
#define ESTATE_COLLECTOR_STORE_SOFTWARE_SET_H_

#include <cstdint>
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

struct HostSoftware {
  std::vector<SoftwareEntry> entries;             // sorted by title, one per title
  std::vector<v1::BaselineException> exceptions;  // sorted by title, one per title
  int64_t baseline_at = 0;
  std::string baseline_by;

  // The entry of `title`, or nullptr.
  const SoftwareEntry* Find(uint32_t title) const;
  const v1::BaselineException* FindException(uint32_t title) const;
};

// False when the bytes are not a software set (or refer past their own tables).
bool DecodeSoftwareSet(std::string_view bytes, HostSoftware* out);
std::string EncodeSoftwareSet(const HostSoftware& software);

// Applies `ops` in order: upserts replace or add, removals drop titles,
// exceptions are set or cleared. Keeps both lists sorted.
void ApplySoftwareOps(const v1::SoftwareSetOps& ops, HostSoftware* software);

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
