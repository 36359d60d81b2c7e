#include "collector/admin/asset_change.h"

#include <map>
#include <set>
#include <tuple>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/people.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"

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

Status CheckUniqueTagAndSerial(ReadView& view, const v1::Asset& asset, const v1::Asset* before) {
  auto tag_of = [](const v1::Asset& a) {
    auto tag = a.attributes().find("asset_tag");
    return tag == a.attributes().end() ? std::string() : tag->second;
  };
  const std::tuple<std::string_view, std::string, std::string> checks[] = {
      {identity::kAssetTag, tag_of(asset), before ? tag_of(*before) : ""},
      {identity::kSerial, asset.serial(), before ? before->serial() : ""}};
  for (const auto& [kind, value, old] : checks) {
    if (value.empty() || (before != nullptr && ToLower(value) == ToLower(old))) continue;
    auto owner = FindIdentityAnyCase(view, kind, value);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner != asset.id()) {
      return Status::AlreadyExists(std::string(kind == identity::kSerial ? "serial" : "asset_tag") +
                                   ": '" + value + "' already belongs to " + **owner +
                                   " (tags and serials are unique in any case)");
    }
  }
  return Status::Ok();
}

namespace {

// Applies `change` to `found` and, unless `dry_run`, writes it with its
// history entry or event. The changed record; its changes in *changes.
Result<v1::Asset> ApplyChange(ReconcileContext& ctx, const v1::Asset& found,
                              const AssetChangeFn& change, bool dry_run,
                              std::vector<v1::FieldChange>* changes) {
  const v1::Asset& before = found;
  v1::Asset asset = found;
  AssetChangeNote note;
  ESTATE_RETURN_IF_ERROR(change(ctx, asset, &note));
  ESTATE_RETURN_IF_ERROR(CheckUniqueTagAndSerial(ctx.batch, asset, &before));
  *changes = DiffAdminFields(before, asset);
  if (dry_run) return asset;
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
  // Owners and holders are people: the first change naming someone records them.
  ESTATE_RETURN_IF_ERROR(EnsurePeopleNamedBy(ctx.batch, before, asset, ctx.now_s()));
  PutRecord(ctx.batch, Table::kAssets, asset.id(), asset);
  if (note.raise_event) {
    v1::Event event;
    event.set_kind(note.kind);
    event.set_severity(note.severity);
    event.set_source(ctx.actor);
    event.set_summary(note.summary);
    for (const auto& c : *changes) *event.add_changes() = c;
    ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
  } else {
    v1::AssetEvent entry;
    entry.set_kind(note.kind);
    entry.set_source(ctx.actor);
    entry.set_summary(note.summary);
    for (const auto& c : *changes) *entry.add_changes() = c;
    ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry));
  }
  return asset;
}

}  // namespace

Result<nlohmann::json> ChangeAsset(AdminContext& context, const std::string& what,
                                   const AssetChangeFn& change) {
  return context.ingestor.Mutate(
      context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
        auto found = LookupAsset(ctx.batch, what);
        if (!found.ok()) return found.status();
        std::vector<v1::FieldChange> changes;
        auto changed = ApplyChange(ctx, *found, change, /*dry_run=*/false, &changes);
        if (!changed.ok()) return changed.status();
        return ProtoToJson(*changed);
      });
}

Result<std::vector<v1::Asset>> SelectAssets(ReconcileContext& ctx, AdminContext& context,
                                            const BulkSelection& selection) {
  if (selection.names.empty() && (selection.filter == nullptr || selection.filter->Empty())) {
    return Status::InvalidArgument(
        "name the assets, or select them with filters (the filters of `assets`); nothing was "
        "changed");
  }
  if (!selection.names.empty() && selection.filter != nullptr && !selection.filter->Empty()) {
    return Status::InvalidArgument("name the assets or give filters, not both");
  }
  std::vector<v1::Asset> targets;
  std::set<std::string> ids;
  for (const auto& name : selection.names) {
    auto found = LookupAsset(ctx.batch, name);
    if (!found.ok()) return found.status();
    if (ids.insert(found->id()).second) targets.push_back(std::move(*found));
  }
  if (selection.names.empty()) {
    Status bad;
    ESTATE_RETURN_IF_ERROR(
        ctx.batch.Scan(Table::kAssets, "", [&](std::string_view, std::string_view value) {
          v1::Asset a;
          if (!a.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            bad = Status::Corruption("unparsable asset record");
            return false;
          }
          if (!selection.filter->Matches(a)) return true;
          if (selection.eligible && !selection.eligible(ctx, a)) return true;
          if (selection.filter->NeedsFacts()) {
            auto has = selection.filter->HasSoftware(
                context.store, context.ingestor.software().catalogue(), a.id());
            if (!has.ok()) {
              bad = has.status();
              return false;
            }
            if (!*has) return true;
          }
          targets.push_back(std::move(a));
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
  }
  return targets;
}

Result<nlohmann::json> ChangeAssets(AdminContext& context, const BulkSelection& selection,
                                    const AssetChangeFn& change) {
  return context.ingestor.Mutate(
      context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
        auto targets = SelectAssets(ctx, context, selection);
        if (!targets.ok()) return targets.status();
        nlohmann::json list = nlohmann::json::array();
        for (const auto& target : *targets) {
          std::vector<v1::FieldChange> changes;
          auto changed = ApplyChange(ctx, target, change, selection.dry_run, &changes);
          // One refusal refuses the whole change: nothing is half done.
          if (!changed.ok()) return changed.status().WithContext(target.id());
          nlohmann::json item = {{"asset_id", target.id()},
                                 {"hostname", target.hostname()},
                                 {"changes", nlohmann::json::array()}};
          for (const auto& c : changes) {
            item["changes"].push_back(
                {{"field", c.field()}, {"before", c.before()}, {"after", c.after()}});
          }
          list.push_back(std::move(item));
        }
        return nlohmann::json{
            {"dry_run", selection.dry_run}, {"count", list.size()}, {"assets", std::move(list)}};
      });
}

}  // namespace estate::collector
