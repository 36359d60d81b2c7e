// Derives an asset's summary fields and identifiers from an agent's facts.
// Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_ASSET_SUMMARY_H_
#define ESTATE_COLLECTOR_RECONCILE_ASSET_SUMMARY_H_

#include <string>
#include <utility>
#include <vector>

#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// Overwrites the discovered summary fields of `asset` (hostname, OS, hardware,
// addresses) from `facts`; id, class, times and sources are left alone.
void SummarizeFacts(const v1::HostFacts& facts, v1::Asset* asset);

// MACs that identify hardware: permanent (or current) addresses of physical
// interfaces, without locally administered, multicast or all-zero ones.
std::vector<std::string> HardwareMacs(const v1::HostFacts& facts);

// (kind, value) pairs from estate::collector::identity under which `asset` is indexed.
std::vector<std::pair<std::string, std::string>> AssetIdentities(const v1::Asset& asset);

// Field-by-field differences of the summaries, for history.
std::vector<v1::FieldChange> DiffSummaries(const v1::Asset& before, const v1::Asset& after);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_ASSET_SUMMARY_H_
