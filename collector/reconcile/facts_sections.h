// A node's facts are stored as one record per top-level HostFacts field (a
// "section": a HostFacts holding only that field, in wire form), packages
// apart in the software table. A delta that replaces `system` and `memory`
// writes two small records and reads none; concatenated in field order the
// sections parse back into the whole HostFacts.
//
// Also here: what drift tracks of each field, and a digest of it, so that a
// report whose fields changed only in what drift ignores (uptime, free
// memory, free disk space) costs no drift work. Pure functions plus batch
// writes; thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_FACTS_SECTIONS_H_
#define ESTATE_COLLECTOR_RECONCILE_FACTS_SECTIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/reconcile/drift.h"
#include "collector/store/keys.h"
#include "collector/store/store.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// HostFacts field numbers stored as sections: every field but software.
const std::vector<int>& SectionFields();
bool IsSectionField(int field);
inline uint64_t FieldBit(int field) { return uint64_t{1} << field; }

// `field` of `facts` in wire form; empty when the field is unset or empty.
std::string SectionBytes(const v1::HostFacts& facts, int field);

// Writes the sections of `fields` of `facts` for the node: a field that is
// empty in `facts` is deleted. `present` (NodeState.fields_present) follows.
void PutSections(WriteBatch& batch, const std::string& asset_id, const std::string& node_id,
                 const v1::HostFacts& facts, const std::vector<int>& fields, uint64_t* present);
// Deletes every section in `present`.
void DeleteSections(WriteBatch& batch, const std::string& asset_id, const std::string& node_id,
                    uint64_t present);

// Reads the node's sections into `facts` (software is not among them).
// `View` is a Store or a WriteBatch: anything with Scan.
template <typename View>
Status LoadSections(View& view, const std::string& asset_id, const std::string& node_id,
                    v1::HostFacts* facts) {
  std::string wire;
  ESTATE_RETURN_IF_ERROR(view.Scan(Table::kFacts, NodeFactsPrefix(asset_id, node_id),
                                   [&](std::string_view, std::string_view value) {
                                     wire.append(value);
                                     return true;
                                   }));
  if (!facts->ParseFromString(wire)) {
    return Status::Corruption("unparsable facts of " + asset_id + " node " + node_id);
  }
  return Status::Ok();
}

// Fields drift tracks something of, and the tracked-fact key prefixes each
// one produces ("hardware.dimm." for dmi, ...).
const std::vector<int>& TrackedFields();
const std::vector<std::string>& TrackedPrefixes(int field);
// What drift tracks of `field` alone, given the facts holding it and the
// asset summary made from them.
TrackedFacts TrackedFactsOfField(const v1::Asset& asset, const v1::HostFacts& facts, int field,
                                 const GroupSet& groups);
// A digest of TrackedFactsOfField; never 0.
uint64_t TrackedDigest(const TrackedFacts& facts);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_FACTS_SECTIONS_H_
