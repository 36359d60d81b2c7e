// Reading, numbering and indexing asset records inside a write batch.
#ifndef ESTATE_COLLECTOR_RECONCILE_ASSET_RECORDS_H_
#define ESTATE_COLLECTOR_RECONCILE_ASSET_RECORDS_H_

#include <optional>
#include <string>
#include <vector>

#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The asset `id`, following merges to the record that absorbed it; nullopt
// when there is none.
Result<std::optional<v1::Asset>> LoadAsset(ReadView& view, const std::string& id);
// The same, parsed into `out` (which may live on an arena); false when there
// is none.
Result<bool> LoadAssetInto(ReadView& view, const std::string& id, v1::Asset* out);

// The next asset id ("A-000042").
Result<std::string> AllocateAssetId(WriteBatch& batch);

// An identifier `after` claims that another asset already holds.
struct IdentityConflict {
  std::string kind;
  std::string value;
  std::string owner;
};

// Moves the identity index from `before`'s identifiers to `after`'s: drops
// the ones no longer held (if they still point here), adds the new ones. IPs
// and bare host names move freely; any other identifier held by another
// asset is left with it and returned as a conflict (once: when newly claimed).
// An identifier `before` held is not assumed indexed here — it may have stayed
// with another record that was merged away since — so, when the identifiers
// change at all, each one `after` holds is taken if it is free.
Status Reindex(WriteBatch& batch, const v1::Asset& before, const v1::Asset& after,
               std::vector<IdentityConflict>* conflicts);

// Records that `node_id` (kind "agent" or "scanner") reported on the asset now.
void TouchSource(v1::Asset* asset, const std::string& kind, const std::string& node_id,
                 uint64_t sequence, int64_t now_s);

// True when an endpoint agent (estate-agent or a foreign inventory agent)
// reports for the asset: its facts are the agent's.
bool HasAgent(const v1::Asset& asset);

// True when the asset is only known from discovery: no agent, never
// registered, approved or edited by an admin.
bool IsDiscoveryOnly(const v1::Asset& asset);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_ASSET_RECORDS_H_
