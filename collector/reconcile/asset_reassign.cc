#include "collector/reconcile/asset_reassign.h"

#include "collector/reconcile/asset_merger.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/identity_claims.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {

Status DetachNode(ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id) {
  // Software sets leave their keys here, past the inventory's set cache.
  if (ctx.software != nullptr) ctx.software->ForgetCachedSets();
  std::vector<std::string> keys;
  ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(Table::kFacts, NodeFactsPrefix(asset.id(), node_id),
                                        [&](std::string_view key, std::string_view) {
                                          keys.emplace_back(key);
                                          return true;
                                        }));
  for (const auto& key : keys) ctx.batch.Delete(Table::kFacts, key);
  auto software = SoftwareInventory::Load(ctx.batch, asset.id(), node_id);
  if (!software.ok()) return software.status();
  if (software->has_value()) {
    if (ctx.software != nullptr) {
      ESTATE_RETURN_IF_ERROR(ctx.software->ForgetCounts(ctx, **software, asset.asset_class()));
    }
    ctx.batch.Delete(Table::kSoftware, SoftwareKey(asset.id(), node_id));
    if (ctx.software != nullptr) ctx.software->NoteDroppedSet(SoftwareKey(asset.id(), node_id));
    ctx.batch.Delete(Table::kFindings, SoftwareDriftMarkerKey(asset.id(), node_id));
  }
  auto node = GetRecord<v1::NodeState>(ctx.batch, Table::kNodes, node_id);
  if (!node.ok()) return node.status();
  if (node->has_value()) {
    // The sequence stays (a resent report is still a duplicate); the next
    // full report is resolved like a new node's.
    (*node)->clear_asset_id();
    (*node)->clear_fields_present();
    (*node)->clear_tracked_digests();
    PutRecord(ctx.batch, Table::kNodes, node_id, **node);
  }
  return Status::Ok();
}

Result<Reassignment> ReassignAsset(ReconcileContext& ctx, const std::string& asset_id,
                                   const std::string& node_id) {
  auto node = GetRecord<v1::NodeState>(ctx.batch, Table::kNodes, node_id);
  if (!node.ok()) return node.status();
  if (!node->has_value() || (*node)->asset_id().empty()) {
    return Status::FailedPrecondition("node " + node_id +
                                      " has no stored report yet: reassign after its first report");
  }
  v1::Asset target;
  auto found = LoadAssetInto(ctx.batch, asset_id, &target);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no asset " + asset_id);
  v1::Asset current;
  auto has_current = LoadAssetInto(ctx.batch, (*node)->asset_id(), &current);
  if (!has_current.ok()) return has_current.status();
  if (*has_current && current.id() == target.id()) {
    return Status::FailedPrecondition("node " + node_id + " already reports for " + target.id());
  }

  Reassignment out;
  auto holders = HoldersOf(ctx.batch, target, node_id);
  if (!holders.ok()) return holders.status();
  for (const auto* list : {&holders->live, &holders->revoked}) {
    for (const auto& holder : *list) {
      ESTATE_RETURN_IF_ERROR(DetachNode(ctx, target, holder));
      out.detached.push_back(holder);
    }
  }
  v1::Asset merged = target;
  if (*has_current) {
    auto result = MergeAssets(ctx, target.id(), current.id(),
                              "node " + node_id + " reassigned to " + target.id());
    if (!result.ok()) return result.status();
    merged = std::move(*result);
  }

  // The summary and the index now say what the node reports, nothing of the
  // detached nodes' hardware.
  v1::HostFacts facts;
  ESTATE_RETURN_IF_ERROR(LoadSections(ctx.batch, target.id(), node_id, &facts));
  v1::Asset after = merged;
  SummarizeFacts(facts, &after);
  auto software = SoftwareInventory::Load(ctx.batch, target.id(), node_id);
  if (!software.ok()) return software.status();
  after.set_software_count(
      software->has_value() ? static_cast<uint32_t>((*software)->entries.size()) : 0);
  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, merged, after, &conflicts));
  PutRecord(ctx.batch, Table::kAssets, after.id(), after);

  std::string detached;
  for (const auto& d : out.detached) detached += (detached.empty() ? "" : ", ") + d;
  v1::Event event;
  event.set_kind("reassigned");
  event.set_severity("info");
  event.set_source(ctx.actor);
  event.set_summary("node " + node_id + " now reports for " + after.id() +
                    (detached.empty() ? "" : "; detached node(s) " + detached));
  for (auto& change : DiffSummaries(merged, after)) *event.add_changes() = std::move(change);
  ctx.events.Raise(ctx.batch, &after, ctx.now_micros, std::move(event));
  for (const auto& c : conflicts) {
    v1::Event conflict;
    conflict.set_kind("identity_conflict");
    conflict.set_severity("medium");
    conflict.set_source(ctx.actor);
    conflict.set_summary(c.kind + " " + c.value + " reported by node " + node_id + " for " +
                         after.id() + " is held by " + c.owner + "; left with " + c.owner);
    ctx.events.Raise(ctx.batch, &after, ctx.now_micros, std::move(conflict), false);
  }
  // The reinstalled machine is compared with the baselines the old one set.
  GroupSet groups = ctx.options.DriftGroupsFor(after.asset_class());
  groups.erase(std::string(drift_group::kSoftware));
  ESTATE_RETURN_IF_ERROR(RefreshDrift(ctx, after, &facts, groups));
  out.asset = std::move(after);
  return out;
}

}  // namespace estate::collector
