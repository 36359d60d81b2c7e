#include "collector/reconcile/monitor_assets.h"

#include "collector/reconcile/child_assets.h"
#include "collector/store/keys.h"

namespace estate::collector {
namespace {

constexpr std::string_view kMonitorIdentity = "monitor";

}  // namespace

std::string MonitorIdentity(const v1::Monitor& monitor) {
  if (monitor.serial().empty()) return "";
  return monitor.manufacturer_id() + ":" + monitor.serial();
}

Status SyncMonitorAssets(ReconcileContext& ctx, const v1::Asset& host,
                         const google::protobuf::RepeatedPtrField<v1::Monitor>& monitors) {
  for (const auto& monitor : monitors) {
    const std::string identity = MonitorIdentity(monitor);
    if (identity.empty()) continue;
    const std::string key = IdentityKey(kMonitorIdentity, identity);
    auto child = LoadChildAsset(ctx, host, key, {}, "monitor");
    if (!child.ok()) return child.status();
    child->after.set_vendor(monitor.manufacturer());
    child->after.set_model(monitor.model());
    child->after.set_serial(monitor.serial());
    ESTATE_RETURN_IF_ERROR(SaveChildAsset(ctx, host, key, *child, "monitor"));
  }
  return Status::Ok();
}

}  // namespace estate::collector
