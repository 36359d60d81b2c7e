// One admin change to one asset, applied on the ingest writer thread so it
// never races a report: resolve the asset the admin named, change it, re-index
// it, and record who did what (history, and the event log for lifecycle
// changes).
#ifndef ESTATE_COLLECTOR_ADMIN_ASSET_CHANGE_H_
#define ESTATE_COLLECTOR_ADMIN_ASSET_CHANGE_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/admin/admin_command.h"
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

// Field-level differences an admin change made (summary, state, attributes, custody).
std::vector<v1::FieldChange> DiffAdminFields(const v1::Asset& before, const v1::Asset& after);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ASSET_CHANGE_H_
