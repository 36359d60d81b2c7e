#include "collector/admin/asset_change.h"

#include <map>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"

namespace estate::collector {

std::vector<v1::FieldChange> DiffAdminFields(const v1::Asset& before, const v1::Asset& after) {
  std::vector<v1::FieldChange> changes = DiffSummaries(before, after);
  auto diff = [&](const std::string& field, const std::string& a, const std::string& b) {
    if (a == b) return;
    v1::FieldChange c;
    c.set_field(field);
    c.set_before(a);
    c.set_after(b);
    changes.push_back(std::move(c));
  };
  diff("class", before.asset_class(), after.asset_class());
  diff("state", before.state(), after.state());
  diff("managed", before.managed() ? "true" : "false", after.managed() ? "true" : "false");
  diff("custody.holder", before.custody().holder(), after.custody().holder());
  diff("custody.due", FormatTime(before.custody().due()), FormatTime(after.custody().due()));
  diff("ignored", before.ignored_reason(), after.ignored_reason());
  std::map<std::string, std::string> a(before.attributes().begin(), before.attributes().end());
  std::map<std::string, std::string> b(after.attributes().begin(), after.attributes().end());
  for (const auto& [k, v] : a) diff(k, v, b.count(k) ? b[k] : "");
  for (const auto& [k, v] : b) {
    if (!a.count(k)) diff(k, "", v);
  }
  return changes;
}

Result<nlohmann::json> ChangeAsset(AdminContext& context, const std::string& what,
                                   const AssetChangeFn& change) {
  return context.ingestor.Mutate(
      context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
        auto found = LookupAsset(ctx.batch, what);
        if (!found.ok()) return found.status();
        const v1::Asset before = *found;
        v1::Asset asset = *found;
        AssetChangeNote note;
        ESTATE_RETURN_IF_ERROR(change(ctx, asset, &note));
        // Install counts are kept per asset class: they follow the asset.
        if (ctx.software != nullptr && before.asset_class() != asset.asset_class()) {
          ESTATE_RETURN_IF_ERROR(
              ctx.software->MoveCounts(ctx, asset.id(), before.asset_class(), asset.asset_class()));
        }
        std::vector<IdentityConflict> conflicts;
        ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, before, asset, &conflicts));
        if (!conflicts.empty()) {
          const auto& c = conflicts.front();
          return Status::AlreadyExists(c.kind + " " + c.value + " already belongs to " + c.owner);
        }
        PutRecord(ctx.batch, Table::kAssets, asset.id(), asset);
        const auto changes = DiffAdminFields(before, asset);
        if (note.raise_event) {
          v1::Event event;
          event.set_kind(note.kind);
          event.set_severity(note.severity);
          event.set_source(ctx.actor);
          event.set_summary(note.summary);
          for (const auto& c : changes) *event.add_changes() = c;
          ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
        } else {
          v1::AssetEvent entry;
          entry.set_kind(note.kind);
          entry.set_source(ctx.actor);
          entry.set_summary(note.summary);
          for (const auto& c : changes) *entry.add_changes() = c;
          ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry));
        }
        return ProtoToJson(asset);
      });
}

}  // namespace estate::collector
