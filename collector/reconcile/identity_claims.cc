#include "collector/reconcile/identity_claims.h"

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/peer_kinds.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string EncodeBan(const MachineBan& ban) {
  std::string out = ban.node_id;
  for (const std::string& part : {ban.asset_id, std::to_string(ban.banned_at), ban.banned_by}) {
    out.push_back('\0');
    out.append(part);
  }
  return out;
}

// `key` without MachineBanPrefix() is "<kind>\0<value>".
Result<MachineBan> DecodeBan(std::string_view key, std::string_view value) {
  MachineBan ban;
  key.remove_prefix(MachineBanPrefix().size());
  const size_t sep = key.find('\0');
  if (sep == std::string_view::npos) return Status::Corruption("malformed machine ban key");
  ban.kind = std::string(key.substr(0, sep));
  ban.value = std::string(key.substr(sep + 1));
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = value.find('\0', start);
    parts.emplace_back(value.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  auto at = parts.size() == 4 ? ParseUint(parts[2]) : std::nullopt;
  if (!at) return Status::Corruption("malformed machine ban of " + ban.kind + " " + ban.value);
  ban.node_id = parts[0];
  ban.asset_id = parts[1];
  ban.banned_at = static_cast<int64_t>(*at);
  ban.banned_by = parts[3];
  return ban;
}

}  // namespace

std::string MachineBanPrefix() { return std::string("banned\0", 7); }

std::string MachineBanKey(std::string_view kind, std::string_view value) {
  return MachineBanPrefix() + IdentityKey(kind, value);
}

std::string NodeEnrollmentKey(std::string_view node_id) {
  std::string key = "enrolled";
  key.push_back('\0');
  key.append(node_id);
  return key;
}

Result<AssetHolders> HoldersOf(ReadView& view, const v1::Asset& asset,
                               const std::string& except_node) {
  AssetHolders holders;
  for (const auto& source : asset.sources()) {
    if (!IsEndpointAgentKind(source.kind()) || source.node_id() == except_node) continue;
    auto node = GetRecord<v1::NodeState>(view, Table::kNodes, source.node_id());
    if (!node.ok()) return node.status();
    // Split off, reassigned or detached: it speaks for another asset now.
    if (!node->has_value() || (*node)->asset_id().empty()) continue;
    if ((*node)->asset_id() != asset.id()) {
      v1::Asset its;
      auto found = LoadAssetInto(view, (*node)->asset_id(), &its);
      if (!found.ok()) return found.status();
      if (!*found || its.id() != asset.id()) continue;
    }
    auto enrollment =
        GetRecord<v1::NodeEnrollment>(view, Table::kNodes, NodeEnrollmentKey(source.node_id()));
    if (!enrollment.ok()) return enrollment.status();
    const bool revoked = enrollment->has_value() && (*enrollment)->revoked_at() != 0;
    (revoked ? holders.revoked : holders.live).push_back(source.node_id());
  }
  return holders;
}

std::vector<std::pair<std::string, std::string>> HardwareIdentities(const v1::Asset& summary) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](std::string_view kind, const std::string& value) {
    if (!value.empty()) out.emplace_back(std::string(kind), value);
  };
  add(identity::kDmiUuid, summary.dmi_uuid());
  add(identity::kSerial, summary.serial());
  add(identity::kMachineId, summary.machine_id());
  for (const auto& mac : summary.macs()) add(identity::kMac, mac);
  return out;
}

Result<std::optional<MachineBan>> FindMachineBan(ReadView& view, const v1::Asset& summary) {
  for (const auto& [kind, value] : HardwareIdentities(summary)) {
    const std::string key = MachineBanKey(kind, value);
    auto raw = view.Get(Table::kNodes, key);
    if (!raw.ok()) return raw.status();
    if (!raw->has_value()) continue;
    auto ban = DecodeBan(key, **raw);
    if (!ban.ok()) return ban.status();
    return std::optional<MachineBan>(std::move(*ban));
  }
  return std::optional<MachineBan>();
}

Result<std::vector<MachineBan>> BanMachine(ReconcileContext& ctx, const std::string& node_id,
                                           std::vector<std::string>* skipped) {
  auto node = GetRecord<v1::NodeState>(ctx.batch, Table::kNodes, node_id);
  if (!node.ok()) return node.status();
  if (!node->has_value() || (*node)->asset_id().empty()) {
    return Status::NotFound("node " + node_id +
                            " has no stored report: its machine's identity is unknown");
  }
  v1::Asset asset;
  auto found = LoadAssetInto(ctx.batch, (*node)->asset_id(), &asset);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("the asset of node " + node_id + " is gone");
  // What the node itself reported, not what other nodes under the asset did.
  v1::HostFacts facts;
  ESTATE_RETURN_IF_ERROR(LoadSections(ctx.batch, (*node)->asset_id(), node_id, &facts));
  v1::Asset reported;
  SummarizeFacts(facts, &reported);
  reported.clear_macs();  // virtual MACs (a VMware host's vmnet1) are shared by many hosts
  for (const auto& mac : HardwareMacs(facts)) reported.add_macs(mac);
  std::vector<MachineBan> bans;
  for (const auto& [kind, value] : HardwareIdentities(reported)) {
    auto owner = ctx.batch.Get(Table::kIdentity, IdentityKey(kind, value));
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner != asset.id()) {
      v1::Asset other;
      auto other_found = LoadAssetInto(ctx.batch, **owner, &other);
      if (!other_found.ok()) return other_found.status();
      if (*other_found && other.id() != asset.id()) {
        skipped->push_back(kind + " " + value + " (held by " + other.id() + ")");
        continue;
      }
    }
    MachineBan ban{kind, value, node_id, asset.id(), ctx.now_s(), ctx.actor};
    ctx.batch.Put(Table::kNodes, MachineBanKey(kind, value), EncodeBan(ban));
    bans.push_back(std::move(ban));
  }
  return bans;
}

Result<int> LiftMachineBans(ReconcileContext& ctx, const std::string& node_id) {
  std::vector<std::string> keys;
  Status corrupt;
  ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(Table::kNodes, MachineBanPrefix(),
                                        [&](std::string_view key, std::string_view value) {
                                          auto ban = DecodeBan(key, value);
                                          if (!ban.ok()) {
                                            corrupt = ban.status();
                                            return false;
                                          }
                                          if (ban->node_id == node_id) keys.emplace_back(key);
                                          return true;
                                        }));
  ESTATE_RETURN_IF_ERROR(corrupt);
  for (const auto& key : keys) ctx.batch.Delete(Table::kNodes, key);
  return static_cast<int>(keys.size());
}

Result<std::vector<MachineBan>> ListMachineBans(Store& store) {
  std::vector<MachineBan> bans;
  Status corrupt;
  ESTATE_RETURN_IF_ERROR(store.Scan(Table::kNodes, MachineBanPrefix(),
                                    [&](std::string_view key, std::string_view value) {
                                      auto ban = DecodeBan(key, value);
                                      if (!ban.ok()) {
                                        corrupt = ban.status();
                                        return false;
                                      }
                                      bans.push_back(std::move(*ban));
                                      return true;
                                    }));
  ESTATE_RETURN_IF_ERROR(corrupt);
  return bans;
}

}  // namespace estate::collector
