// One admin change to one asset, applied on the ingest writer thread so it
// never races a report: resolve the asset the admin named, change it, re-index
// it, and record who did what (history, and the event log for lifecycle
// changes).
#ifndef ESTATE_COLLECTOR_ADMIN_ASSET_CHANGE_H_
#define ESTATE_COLLECTOR_ADMIN_ASSET_CHANGE_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/admin/admin_command.h"
#include "collector/admin/asset_filter.h"
#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct AssetChangeNote {
  std::string kind;  // history/event kind: state_changed, checked_out, attributes_set, ...
  std::string summary;
  std::string severity = "info";
  bool raise_event = false;  // also into the event log (lifecycle changes)
};

using AssetChangeFn =
    std::function<Status(ReconcileContext& ctx, v1::Asset& asset, AssetChangeNote* note)>;

// Returns the changed record as JSON.
Result<nlohmann::json> ChangeAsset(AdminContext& context, const std::string& what,
                                   const AssetChangeFn& change);

// Which assets a bulk change (approve device, ignore device, accept) takes:
// the named ones, or, when none is named, every asset the filter matches and
// `eligible` admits (shadow devices only, say).
struct BulkSelection {
  std::vector<std::string> names;
  const AssetFilter* filter = nullptr;
  std::function<bool(ReconcileContext& ctx, const v1::Asset& asset)> eligible;
  bool dry_run = false;  // report what would change, write nothing
};

// The selected assets, read through ctx.batch (on the writer thread).
Result<std::vector<v1::Asset>> SelectAssets(ReconcileContext& ctx, AdminContext& context,
                                            const BulkSelection& selection);

// Applies `change` to every selected asset in one atomic write: one refusal
// (named with its asset) and nothing changes. Refuses a selection with no
// name and no filter, which would be every asset. The result lists each asset
// with its field changes: {"dry_run", "count", "assets": [{"asset_id",
// "hostname", "changes": [{"field", "before", "after"}]}]}.
Result<nlohmann::json> ChangeAssets(AdminContext& context, const BulkSelection& selection,
                                    const AssetChangeFn& change);

// AlreadyExists when another asset holds `asset`'s tag or serial in any case.
// With `before`, only a tag or serial that changed is checked (discovery may
// have left two assets with one junk serial; that is not this change's fault).
Status CheckUniqueTagAndSerial(ReadView& view, const v1::Asset& asset,
                               const v1::Asset* before = nullptr);

// Field-level differences an admin change made (summary, state, attributes, custody).
std::vector<v1::FieldChange> DiffAdminFields(const v1::Asset& before, const v1::Asset& after);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ASSET_CHANGE_H_
