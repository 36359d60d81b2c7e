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
// addresses, package count) from `facts`; id, times and sources are left
// alone, the class is set only when it has none.
void SummarizeFacts(const v1::HostFacts& facts, v1::Asset* asset);

// The security gap names, in the order `SecurityGaps` lists them.
const std::vector<std::string>& SecurityGapNames();
// What a host lacks by its posture facts (disk_encryption: root not encrypted,
// secure_boot not enabled, tpm absent, firewall off, auto_updates off); none
// when the facts hold no posture.
std::vector<std::string> SecurityGaps(const v1::HostFacts& facts);

// The same for the summary fields that come from the top-level HostFacts
// fields in `fields` only (a delta's replaced fields); software_count is the
// caller's (it comes from the node's software set).
void SummarizeFields(const v1::HostFacts& facts, const std::vector<int>& fields, v1::Asset* asset);

// MACs that identify hardware: permanent (or current) addresses of physical
// interfaces, without locally administered, multicast or all-zero ones.
std::vector<std::string> HardwareMacs(const v1::HostFacts& facts);

// (kind, value) pairs from estate::collector::identity under which `asset` is indexed.
std::vector<std::pair<std::string, std::string>> AssetIdentities(const v1::Asset& asset);

// Field-by-field differences of the summaries, for history.
std::vector<v1::FieldChange> DiffSummaries(const v1::Asset& before, const v1::Asset& after);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_ASSET_SUMMARY_H_
