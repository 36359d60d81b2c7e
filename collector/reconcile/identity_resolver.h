// Decides which stored asset a set of agent facts belongs to, trying identifiers
// from strongest to weakest: DMI UUID, serial, machine-id, hardware MACs, FQDN.
// Weak identifiers (IP) never decide alone. Whether the reporting node may
// take the asset is identity_claims.h's question. Thread-compatible: reads only.
#ifndef ESTATE_COLLECTOR_RECONCILE_IDENTITY_RESOLVER_H_
#define ESTATE_COLLECTOR_RECONCILE_IDENTITY_RESOLVER_H_

#include <optional>
#include <string>
#include <vector>

#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct Resolution {
  std::string asset_id;
  std::string matched_by;  // the identity kind that matched, e.g. "machine_id"
};

// `summary` is the asset summary derived from the incoming facts (SummarizeFacts).
Result<std::optional<Resolution>> ResolveAsset(ReadView& view, const v1::Asset& summary);

// Every asset an identifier of `summary` leads to, strongest identifier
// first, each asset once (by the strongest identifier that found it).
Result<std::vector<Resolution>> ResolveCandidates(ReadView& view, const v1::Asset& summary);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_IDENTITY_RESOLVER_H_
