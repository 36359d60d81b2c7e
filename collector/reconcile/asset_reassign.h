// Handing an asset to the node that now reports for its machine (a machine
// reinstalled: same hardware, new node id, the old node silent). The old
// nodes' facts and packages leave the asset (its history keeps what they
// said); the asset keeps its id, admin attributes, lifecycle and history.
#ifndef ESTATE_COLLECTOR_RECONCILE_ASSET_REASSIGN_H_
#define ESTATE_COLLECTOR_RECONCILE_ASSET_REASSIGN_H_

#include <string>
#include <vector>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// Removes what `node_id` reported from `asset_id` (facts, packages and their
// install counts, the software drift marker) and unbinds the node, whose next
// full report is resolved anew. The asset record is the caller's.
Status DetachNode(ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id);

struct Reassignment {
  v1::Asset asset;                    // the asset after
  std::vector<std::string> detached;  // the nodes that held it before
};

// Makes `node_id` the node of `asset_id`: the node's current asset (if any)
// is merged in, every other agent node of the asset is detached, and the
// summary and identity index are rebuilt from the node's facts.
Result<Reassignment> ReassignAsset(ReconcileContext& ctx, const std::string& asset_id,
                                   const std::string& node_id);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_ASSET_REASSIGN_H_
