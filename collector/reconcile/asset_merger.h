// Merging two records of one device and splitting a record the engine joined
// wrongly. Both keep every history entry and raise an event; a split pair is
// never merged again automatically.
#ifndef ESTATE_COLLECTOR_RECONCILE_ASSET_MERGER_H_
#define ESTATE_COLLECTOR_RECONCILE_ASSET_MERGER_H_

#include <string>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// Folds `gone_id` into `keep_id`: facts, sources, identifiers, history and
// discovered attributes move; `keep_id`'s admin-set attributes win. The old
// record stays as a pointer (merged_into) so its id still resolves.
Result<v1::Asset> MergeAssets(ReconcileContext& ctx, const std::string& keep_id,
                              const std::string& gone_id, const std::string& reason);

// Whether an admin split these two assets apart.
Result<bool> MergeForbidden(ReadView& view, const std::string& a, const std::string& b);

// Moves what one source said out of `asset_id` into a new asset: an agent's
// facts (`node_id`) or a MAC address discovery tied to it. Returns the new asset.
Result<v1::Asset> SplitAsset(ReconcileContext& ctx, const std::string& asset_id,
                             const std::string& node_id, const std::string& mac);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_ASSET_MERGER_H_
