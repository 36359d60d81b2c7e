// What monitors and guests share: an asset of its own that a host reports,
// found again by an identity of its own and pointing at the host that last
// reported it (parent_id), so a monitor carried to another desk or a VM
// migrated to another hypervisor shows as a move, not as two assets. Known
// through its host's agent, it is managed: never a shadow device. Runs on the
// ingest writer thread, inside the report's batch.
#ifndef ESTATE_COLLECTOR_RECONCILE_CHILD_ASSETS_H_
#define ESTATE_COLLECTOR_RECONCILE_CHILD_ASSETS_H_

#include <string>
#include <string_view>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct ChildAsset {
  v1::Asset before;  // as stored; an id alone when `created`
  v1::Asset after;   // to be filled by the caller, then written by SaveChildAsset
  bool created = false;
};

// The asset `identity_key` (an IdentityKey) leads to, else the first
// discovery-only record holding one of `macs` (a device the network saw before
// its host reported it), else a new asset of `asset_class`. `after` starts as
// `before` with the host as parent, managed, deployed unless set, seen now.
Result<ChildAsset> LoadChildAsset(ReconcileContext& ctx, const v1::Asset& host,
                                  const std::string& identity_key,
                                  const std::vector<std::string>& macs,
                                  std::string_view asset_class);

// Writes `child` when it changed (or its last_seen is an hour stale, so a host
// reporting every few minutes does not rewrite its children), indexes its
// identifiers and tells its history: created, moved (new parent) or changed.
// `noun` names it in summaries ("monitor", "virtual machine"). An identifier
// another live asset holds stays there and raises identity_conflict.
Status SaveChildAsset(ReconcileContext& ctx, const v1::Asset& host, const std::string& identity_key,
                      const ChildAsset& child, std::string_view noun);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_CHILD_ASSETS_H_
