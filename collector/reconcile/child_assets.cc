#include "collector/reconcile/child_assets.h"

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {
namespace {

// Unchanged children are rewritten only this stale, for their last_seen.
constexpr int64_t kRefreshAfterS = 3600;

void AddChange(std::vector<v1::FieldChange>* changes, const char* field, const std::string& before,
               const std::string& after) {
  if (before == after) return;
  v1::FieldChange change;
  change.set_field(field);
  change.set_before(before);
  change.set_after(after);
  changes->push_back(std::move(change));
}

std::string HostLabel(const v1::Asset& host) {
  return host.id() + (host.hostname().empty() ? "" : " (" + host.hostname() + ")");
}

}  // namespace

Result<ChildAsset> LoadChildAsset(ReconcileContext& ctx, const v1::Asset& host,
                                  const std::string& identity_key,
                                  const std::vector<std::string>& macs,
                                  std::string_view asset_class) {
  ChildAsset child;
  auto owner = ctx.batch.Get(Table::kIdentity, identity_key);
  if (!owner.ok()) return owner.status();
  if (owner->has_value()) {
    auto existing = LoadAsset(ctx.batch, **owner);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) child.before = std::move(**existing);
  }
  // Seen on the network before its host said what it is: that record is it.
  for (size_t i = 0; child.before.id().empty() && i < macs.size(); ++i) {
    auto holder = ctx.batch.Get(Table::kIdentity, IdentityKey(identity::kMac, macs[i]));
    if (!holder.ok()) return holder.status();
    if (!holder->has_value()) continue;
    auto existing = LoadAsset(ctx.batch, **holder);
    if (!existing.ok()) return existing.status();
    if (existing->has_value() && IsDiscoveryOnly(**existing)) child.before = std::move(**existing);
  }
  if (child.before.id().empty()) {
    auto id = AllocateAssetId(ctx.batch);
    if (!id.ok()) return id.status();
    child.created = true;
    child.before.set_id(*id);
    child.before.set_first_seen(ctx.now_s());
  }
  child.after = child.before;
  if (child.after.asset_class().empty()) child.after.set_asset_class(std::string(asset_class));
  child.after.set_parent_id(host.id());
  child.after.set_managed(true);
  if (child.after.state().empty()) child.after.set_state("deployed");
  child.after.set_last_seen(ctx.now_s());
  return child;
}

Status SaveChildAsset(ReconcileContext& ctx, const v1::Asset& host, const std::string& identity_key,
                      const ChildAsset& child, std::string_view noun) {
  const v1::Asset& before = child.before;
  const v1::Asset& after = child.after;
  std::vector<v1::FieldChange> changes = DiffSummaries(before, after);
  AddChange(&changes, "parent_id", before.parent_id(), after.parent_id());
  AddChange(&changes, "asset_class", before.asset_class(), after.asset_class());
  AddChange(&changes, "managed", before.managed() ? "true" : "false",
            after.managed() ? "true" : "false");
  if (!child.created && changes.empty() &&
      after.last_seen() - before.last_seen() < kRefreshAfterS) {
    return Status::Ok();
  }
  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, before, after, &conflicts));
  ctx.batch.Put(Table::kIdentity, identity_key, after.id());
  PutRecord(ctx.batch, Table::kAssets, after.id(), after);
  for (const auto& c : conflicts) {
    v1::Event event;
    event.set_kind("identity_conflict");
    event.set_severity("medium");
    event.set_source(ctx.actor);
    event.set_summary(c.kind + " " + c.value + " of " + std::string(noun) + " " + after.id() +
                      " reported by " + HostLabel(host) + " is held by " + c.owner +
                      "; not joined");
    ctx.events.Raise(ctx.batch, &after, ctx.now_micros, std::move(event));
  }
  if (changes.empty() && !child.created) return Status::Ok();  // last_seen only

  v1::AssetEvent event;
  event.set_source(ctx.actor);
  const std::string what(noun);
  if (child.created) {
    event.set_kind("created");
    event.set_summary(what + " first seen on " + HostLabel(host));
  } else if (before.parent_id().empty()) {
    event.set_kind("identified");
    event.set_summary("identified as a " + what + " of " + HostLabel(host));
  } else if (before.parent_id() != after.parent_id()) {
    event.set_kind("moved");
    event.set_summary(what + " moved from " + before.parent_id() + " to " + HostLabel(host));
  } else {
    event.set_kind("report");
    event.set_summary(what + " details changed");
  }
  for (auto& c : changes) *event.add_changes() = std::move(c);
  ctx.events.History(ctx.batch, after, ctx.now_micros, std::move(event));
  return Status::Ok();
}

}  // namespace estate::collector
