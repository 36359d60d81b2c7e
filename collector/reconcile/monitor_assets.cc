#include "collector/reconcile/monitor_assets.h"

#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {
namespace {

constexpr std::string_view kMonitorIdentity = "monitor";

void Change(v1::AssetEvent* event, const std::string& field, const std::string& before,
            const std::string& after) {
  if (before == after) return;
  auto* change = event->add_changes();
  change->set_field(field);
  change->set_before(before);
  change->set_after(after);
}

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
    auto owner = ctx.batch.Get(Table::kIdentity, key);
    if (!owner.ok()) return owner.status();
    v1::Asset before;
    if (owner->has_value()) {
      auto existing = LoadAsset(ctx.batch, **owner);
      if (!existing.ok()) return existing.status();
      if (existing->has_value()) before = std::move(**existing);
    }
    const bool created = before.id().empty();
    if (created) {
      auto id = AllocateAssetId(ctx.batch);
      if (!id.ok()) return id.status();
      before.set_id(*id);
      before.set_asset_class("monitor");
      before.set_first_seen(ctx.now_s());
    }
    v1::Asset after = before;
    after.set_vendor(monitor.manufacturer());
    after.set_model(monitor.model());
    after.set_serial(monitor.serial());
    after.set_parent_id(host.id());
    after.set_last_seen(ctx.now_s());
    if (after.state().empty()) after.set_state("deployed");
    // Unchanged: only last_seen moves, and only when it is stale by an hour,
    // so a host reporting every few minutes does not rewrite its monitors.
    const bool moved = !created && before.parent_id() != host.id();
    const bool changed =
        created || moved || before.vendor() != after.vendor() || before.model() != after.model();
    if (!changed && after.last_seen() - before.last_seen() < 3600) continue;
    ctx.batch.Put(Table::kIdentity, key, after.id());
    PutRecord(ctx.batch, Table::kAssets, after.id(), after);
    if (!changed) continue;
    v1::AssetEvent event;
    event.set_source(ctx.actor);
    if (created) {
      event.set_kind("created");
      event.set_summary("monitor first seen on " + host.id() + " (" + host.hostname() + ")");
    } else if (moved) {
      event.set_kind("moved");
      event.set_summary("monitor moved from " + before.parent_id() + " to " + host.id() + " (" +
                        host.hostname() + ")");
    } else {
      event.set_kind("report");
      event.set_summary("monitor details changed");
    }
    Change(&event, "parent_id", before.parent_id(), after.parent_id());
    Change(&event, "vendor", before.vendor(), after.vendor());
    Change(&event, "model", before.model(), after.model());
    ctx.events.History(ctx.batch, after, ctx.now_micros, std::move(event));
  }
  return Status::Ok();
}

}  // namespace estate::collector
