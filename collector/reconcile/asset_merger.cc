#include "collector/reconcile/asset_merger.h"

#include <algorithm>
#include <set>
#include <vector>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/device_inventory.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

void FillIfEmpty(std::string* mine, const std::string& theirs) {
  if (mine->empty()) *mine = theirs;
}

template <typename Field>
void Union(Field* mine, const Field& theirs) {
  std::set<std::string> all(mine->begin(), mine->end());
  all.insert(theirs.begin(), theirs.end());
  mine->Clear();
  for (const auto& v : all) *mine->Add() = v;
}

// Moves every key under `from_prefix` in `table` to `to_prefix`.
Status MovePrefix(WriteBatch& batch, Table table, const std::string& from_prefix,
                  const std::string& to_prefix, std::vector<std::string>* moved_suffixes) {
  std::vector<std::pair<std::string, std::string>> entries;
  ESTATE_RETURN_IF_ERROR(
      batch.Scan(table, from_prefix, [&](std::string_view k, std::string_view v) {
        entries.emplace_back(std::string(k), std::string(v));
        return true;
      }));
  for (const auto& [key, value] : entries) {
    const std::string suffix = key.substr(from_prefix.size());
    batch.Put(table, to_prefix + suffix, value);
    batch.Delete(table, key);
    if (moved_suffixes) moved_suffixes->push_back(suffix);
  }
  return Status::Ok();
}

// The node ids among facts-table key suffixes "<node>\0<field>", once each.
std::vector<std::string> NodesOf(const std::vector<std::string>& suffixes) {
  std::vector<std::string> nodes;
  for (const auto& suffix : suffixes) {
    std::string node = suffix.substr(0, suffix.find('\0'));
    if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) nodes.push_back(node);
  }
  return nodes;
}

// Install counts of the software sets of `nodes` (now under `asset_id`) move
// from `from_class` to `to_class`.
Status RecountSoftware(ReconcileContext& ctx, const std::string& asset_id,
                       const std::vector<std::string>& nodes, const std::string& from_class,
                       const std::string& to_class) {
  if (from_class == to_class || ctx.software == nullptr) return Status::Ok();
  for (const auto& node_id : nodes) {
    auto software = SoftwareInventory::Load(ctx.batch, asset_id, node_id);
    if (!software.ok()) return software.status();
    if (!software->has_value()) continue;
    ESTATE_RETURN_IF_ERROR(ctx.software->ForgetCounts(ctx, **software, from_class));
    ESTATE_RETURN_IF_ERROR(ctx.software->AddCounts(ctx, **software, to_class));
  }
  return Status::Ok();
}

Status DeleteDerived(WriteBatch& batch, const std::string& asset_id) {
  batch.Delete(Table::kFindings, FindingsKey("drift", asset_id));
  batch.Delete(Table::kFindings, FindingsKey("software", asset_id));
  batch.Delete(Table::kFindings, FindingsKey("services", asset_id));
  std::vector<std::string> keys;
  ESTATE_RETURN_IF_ERROR(batch.Scan(Table::kBaselines, BaselinePrefix(asset_id),
                                    [&](std::string_view k, std::string_view) {
                                      keys.emplace_back(k);
                                      return true;
                                    }));
  for (const auto& k : keys) batch.Delete(Table::kBaselines, k);
  return Status::Ok();
}

Result<v1::Asset> MustLoad(ReadView& view, const std::string& id) {
  auto asset = GetRecord<v1::Asset>(view, Table::kAssets, id);
  if (!asset.ok()) return asset.status();
  if (!asset->has_value()) return Status::NotFound("no asset " + id);
  if (!(*asset)->merged_into().empty()) {
    return Status::FailedPrecondition(id + " was merged into " + (*asset)->merged_into());
  }
  return **asset;
}

}  // namespace

Result<bool> MergeForbidden(ReadView& view, const std::string& a, const std::string& b) {
  auto hit = view.Get(Table::kPolicy, NoMergeKey(a, b));
  if (!hit.ok()) return hit.status();
  return hit->has_value();
}

Result<v1::Asset> MergeAssets(ReconcileContext& ctx, const std::string& keep_id,
                              const std::string& gone_id, const std::string& reason) {
  if (keep_id == gone_id) return Status::InvalidArgument("cannot merge an asset with itself");
  // Software sets move to other keys here, past the inventory's set cache.
  if (ctx.software != nullptr) ctx.software->ForgetCachedSets();
  auto keep_or = MustLoad(ctx.batch, keep_id);
  if (!keep_or.ok()) return keep_or.status();
  auto gone_or = MustLoad(ctx.batch, gone_id);
  if (!gone_or.ok()) return gone_or.status();
  const v1::Asset before = *keep_or;
  v1::Asset keep = *keep_or;
  v1::Asset gone = *gone_or;

  for (auto [mine, theirs] :
       {std::pair{keep.mutable_hostname(), &gone.hostname()},
        std::pair{keep.mutable_fqdn(), &gone.fqdn()}, std::pair{keep.mutable_os(), &gone.os()},
        std::pair{keep.mutable_kernel(), &gone.kernel()},
        std::pair{keep.mutable_vendor(), &gone.vendor()},
        std::pair{keep.mutable_model(), &gone.model()},
        std::pair{keep.mutable_serial(), &gone.serial()},
        std::pair{keep.mutable_machine_id(), &gone.machine_id()},
        std::pair{keep.mutable_dmi_uuid(), &gone.dmi_uuid()},
        std::pair{keep.mutable_asset_class(), &gone.asset_class()},
        std::pair{keep.mutable_state(), &gone.state()},
        std::pair{keep.mutable_device_type(), &gone.device_type()}}) {
    FillIfEmpty(mine, *theirs);
  }
  Union(keep.mutable_macs(), gone.macs());
  Union(keep.mutable_ips(), gone.ips());
  Union(keep.mutable_evidence(), gone.evidence());
  keep.set_managed(keep.managed() || gone.managed());
  if (gone.first_seen() && (!keep.first_seen() || gone.first_seen() < keep.first_seen())) {
    keep.set_first_seen(gone.first_seen());
  }
  keep.set_last_seen(std::max(keep.last_seen(), gone.last_seen()));
  for (const auto& [k, v] : gone.attributes()) keep.mutable_attributes()->insert({k, v});
  if (keep.custody().holder().empty() && !gone.custody().holder().empty()) {
    *keep.mutable_custody() = gone.custody();
  }
  if (gone.location().seen_at() > keep.location().seen_at()) {
    *keep.mutable_location() = gone.location();
  }
  for (const auto& source : gone.sources()) {
    bool known = false;
    for (const auto& mine : keep.sources()) known |= mine.node_id() == source.node_id();
    if (!known) *keep.add_sources() = source;
  }

  // Facts, packages and the nodes that sent them now belong to `keep`.
  std::vector<std::string> suffixes;
  ESTATE_RETURN_IF_ERROR(
      MovePrefix(ctx.batch, Table::kFacts, FactsPrefix(gone_id), FactsPrefix(keep_id), &suffixes));
  ESTATE_RETURN_IF_ERROR(MovePrefix(ctx.batch, Table::kSoftware, FactsPrefix(gone_id),
                                    FactsPrefix(keep_id), &suffixes));
  if (ctx.software != nullptr) ctx.software->NoteMovedAsset(gone_id, keep_id);
  ESTATE_RETURN_IF_ERROR(MovePrefix(ctx.batch, Table::kFindings,
                                    FindingsKey("software_drift", FactsPrefix(gone_id)),
                                    FindingsKey("software_drift", FactsPrefix(keep_id)), nullptr));
  ESTATE_RETURN_IF_ERROR(MoveDeviceInventory(ctx.batch, gone_id, keep_id));
  const std::vector<std::string> nodes = NodesOf(suffixes);
  ESTATE_RETURN_IF_ERROR(
      RecountSoftware(ctx, keep_id, nodes, gone.asset_class(), keep.asset_class()));
  for (const auto& node_id : nodes) {
    auto node = GetRecord<v1::NodeState>(ctx.batch, Table::kNodes, node_id);
    if (!node.ok()) return node.status();
    if (!node->has_value()) continue;
    (*node)->set_asset_id(keep_id);
    PutRecord(ctx.batch, Table::kNodes, node_id, **node);
  }
  // History is copied, not moved: the old id keeps telling its own story.
  std::vector<std::pair<std::string, std::string>> history;
  ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(Table::kHistory, HistoryPrefix(gone_id),
                                        [&](std::string_view k, std::string_view v) {
                                          history.emplace_back(std::string(k), std::string(v));
                                          return true;
                                        }));
  for (const auto& [key, value] : history) {
    ctx.batch.Put(Table::kHistory,
                  HistoryPrefix(keep_id) + key.substr(HistoryPrefix(gone_id).size()), value);
  }
  ESTATE_RETURN_IF_ERROR(DeleteDerived(ctx.batch, gone_id));

  // Identifiers of the old record point at the survivor.
  v1::Asset empty_gone;
  empty_gone.set_id(gone_id);
  std::vector<IdentityConflict> ignored;
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, gone, empty_gone, &ignored));
  // Every identifier of the survivor is asserted, not only the new ones: the
  // merge is usually settling a conflict, so the survivor already held the
  // contested identifier (a VM's MAC seen by a scanner before its agent
  // reported) while the index still named the record merged away — an
  // unchanged identifier list must still take the freed index entries.
  v1::Asset unindexed;
  unindexed.set_id(keep_id);
  std::vector<IdentityConflict> conflicts;  // told when they were claimed
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, unindexed, keep, &conflicts));

  v1::Asset tombstone;
  tombstone.set_id(gone_id);
  tombstone.set_merged_into(keep_id);
  tombstone.set_first_seen(gone.first_seen());
  tombstone.set_last_seen(gone.last_seen());
  PutRecord(ctx.batch, Table::kAssets, keep_id, keep);
  PutRecord(ctx.batch, Table::kAssets, gone_id, tombstone);

  v1::Event event;
  event.set_kind("merged");
  event.set_severity("info");
  event.set_source(ctx.actor);
  event.set_summary(gone_id + " merged into " + keep_id + ": " + reason);
  for (auto& change : DiffSummaries(before, keep)) *event.add_changes() = std::move(change);
  ctx.events.Raise(ctx.batch, &keep, ctx.now_micros, event);
  v1::AssetEvent note;
  note.set_kind("merged");
  note.set_source(ctx.actor);
  note.set_summary("merged into " + keep_id + ": " + reason);
  ctx.events.History(ctx.batch, tombstone, ctx.now_micros, std::move(note));
  return keep;
}

Result<v1::Asset> SplitAsset(ReconcileContext& ctx, const std::string& asset_id,
                             const std::string& node_id, const std::string& mac) {
  if (node_id.empty() == mac.empty()) {
    return Status::InvalidArgument("split needs exactly one of --node NODE or --mac MAC");
  }
  if (ctx.software != nullptr) ctx.software->ForgetCachedSets();  // sets move keys
  auto asset_or = MustLoad(ctx.batch, asset_id);
  if (!asset_or.ok()) return asset_or.status();
  const v1::Asset before = *asset_or;
  v1::Asset remaining = before;

  auto new_id = AllocateAssetId(ctx.batch);
  if (!new_id.ok()) return new_id.status();
  v1::Asset split;
  split.set_id(*new_id);
  split.set_first_seen(ctx.now_s());
  split.set_last_seen(before.last_seen());

  if (!node_id.empty()) {
    v1::HostFacts facts;
    ESTATE_RETURN_IF_ERROR(LoadSections(ctx.batch, asset_id, node_id, &facts));
    auto software = SoftwareInventory::Load(ctx.batch, asset_id, node_id);
    if (!software.ok()) return software.status();
    if (facts.ByteSizeLong() == 0 && !software->has_value()) {
      return Status::NotFound(asset_id + " holds no facts from node " + node_id);
    }
    SummarizeFacts(facts, &split);
    split.set_software_count(
        software->has_value() ? static_cast<uint32_t>((*software)->entries.size()) : 0);
    split.set_managed(true);
    split.set_state(before.state().empty() ? "deployed" : before.state());
    ESTATE_RETURN_IF_ERROR(MovePrefix(ctx.batch, Table::kFacts, NodeFactsPrefix(asset_id, node_id),
                                      NodeFactsPrefix(*new_id, node_id), nullptr));
    if (software->has_value()) {
      ctx.batch.Delete(Table::kSoftware, SoftwareKey(asset_id, node_id));
      ctx.batch.Put(Table::kSoftware, SoftwareKey(*new_id, node_id), EncodeSoftwareSet(**software));
      if (ctx.software != nullptr) {
        ctx.software->NoteMovedSet(SoftwareKey(asset_id, node_id), SoftwareKey(*new_id, node_id));
      }
      if (!(*software)->exceptions.empty()) {
        ctx.batch.Delete(Table::kFindings, SoftwareDriftMarkerKey(asset_id, node_id));
        ctx.batch.Put(Table::kFindings, SoftwareDriftMarkerKey(*new_id, node_id), "1");
      }
      if (ctx.software != nullptr && split.asset_class() != before.asset_class()) {
        ESTATE_RETURN_IF_ERROR(ctx.software->ForgetCounts(ctx, **software, before.asset_class()));
        ESTATE_RETURN_IF_ERROR(ctx.software->AddCounts(ctx, **software, split.asset_class()));
      }
    }
    auto node = GetRecord<v1::NodeState>(ctx.batch, Table::kNodes, node_id);
    if (!node.ok()) return node.status();
    if (node->has_value()) {
      (*node)->set_asset_id(*new_id);
      PutRecord(ctx.batch, Table::kNodes, node_id, **node);
    }
    remaining.clear_sources();
    for (const auto& source : before.sources()) {
      if (source.node_id() == node_id) {
        *split.add_sources() = source;
      } else {
        *remaining.add_sources() = source;
      }
    }
    // What stays is summarized from another agent's facts when there is one.
    std::string other_node;
    ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(
        Table::kFacts, FactsPrefix(asset_id), [&](std::string_view key, std::string_view) {
          std::string_view rest = key.substr(FactsPrefix(asset_id).size());
          other_node = std::string(rest.substr(0, rest.find('\0')));
          return other_node == node_id;  // the split node's keys may still show in the batch
        }));
    const bool other_agent = !other_node.empty() && other_node != node_id;
    if (other_agent) {
      v1::HostFacts other;
      ESTATE_RETURN_IF_ERROR(LoadSections(ctx.batch, asset_id, other_node, &other));
      SummarizeFacts(other, &remaining);
      auto other_software = SoftwareInventory::Load(ctx.batch, asset_id, other_node);
      if (!other_software.ok()) return other_software.status();
      remaining.set_software_count(other_software->has_value()
                                       ? static_cast<uint32_t>((*other_software)->entries.size())
                                       : 0);
    }
    if (!other_agent) {
      for (const auto& m : split.macs()) {
        auto it = std::find(remaining.macs().begin(), remaining.macs().end(), m);
        if (it != remaining.macs().end()) remaining.mutable_macs()->erase(it);
      }
      remaining.set_machine_id("");
      remaining.set_dmi_uuid("");
      if (remaining.serial() == split.serial()) remaining.set_serial("");
      remaining.set_managed(remaining.attributes_size() > 0);
    }
  } else {
    auto it = std::find(remaining.macs().begin(), remaining.macs().end(), mac);
    if (it == remaining.macs().end()) return Status::NotFound(asset_id + " has no MAC " + mac);
    remaining.mutable_macs()->erase(it);
    split.add_macs(mac);
    split.set_vendor(before.vendor());
  }

  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, before, remaining, &conflicts));
  v1::Asset none;
  none.set_id(*new_id);
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, none, split, &conflicts));
  PutRecord(ctx.batch, Table::kAssets, asset_id, remaining);
  PutRecord(ctx.batch, Table::kAssets, *new_id, split);
  ctx.batch.Put(Table::kPolicy, NoMergeKey(asset_id, *new_id), ctx.actor);

  const std::string what = node_id.empty() ? "MAC " + mac : "node " + node_id;
  v1::Event event;
  event.set_kind("split");
  event.set_severity("info");
  event.set_source(ctx.actor);
  event.set_summary(what + " split from " + asset_id + " into " + *new_id);
  ctx.events.Raise(ctx.batch, &remaining, ctx.now_micros, event);
  v1::AssetEvent created;
  created.set_kind("created");
  created.set_source(ctx.actor);
  created.set_summary("split from " + asset_id + " (" + what + ")");
  ctx.events.History(ctx.batch, split, ctx.now_micros, std::move(created));
  return split;
}

}  // namespace estate::collector
