#include "collector/reconcile/observation_reconciler.h"

#include <algorithm>
#include <optional>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/device_classifier.h"
#include "collector/reconcile/device_inventory.h"
#include "collector/reconcile/interface_macs.h"
#include "collector/reconcile/peer_kinds.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Whether `ip` is an address of a device that answers SNMP itself (its
// inventory, not only sightings, made the record) and no agent speaks for.
bool DeclaresAddress(const v1::Asset& asset, const std::string& ip) {
  if (HasAgent(asset)) return false;
  const bool inventoried = std::any_of(asset.evidence().begin(), asset.evidence().end(),
                                       [](const std::string& e) { return e.starts_with("snmp:"); });
  return inventoried && std::find(asset.ips().begin(), asset.ips().end(), ip) != asset.ips().end();
}

bool HasFlag(const v1::Observation& o, std::string_view flag) {
  return std::find(o.flags().begin(), o.flags().end(), flag) != o.flags().end();
}

Result<std::optional<v1::Asset>> FindByIdentity(ReadView& view, std::string_view kind,
                                                const std::string& value) {
  if (value.empty()) return std::optional<v1::Asset>();
  auto hit = view.Get(Table::kIdentity, IdentityKey(kind, value));
  if (!hit.ok()) return hit.status();
  if (!hit->has_value()) return std::optional<v1::Asset>();
  return LoadAsset(view, **hit);
}

std::string LocationText(const v1::NetworkLocation& l) {
  if (l.switch_name().empty()) return "";
  return l.switch_name() + " port " + l.port() +
         (l.vlan() ? " vlan " + std::to_string(l.vlan()) : "");
}

// A new device nobody manages: the shadow-device event, with what is known.
void RaiseShadowDevice(ReconcileContext& ctx, const v1::Asset& asset) {
  v1::Event event;
  event.set_kind("shadow_device");
  event.set_severity("medium");
  event.set_source(ctx.actor);
  std::string summary = "unregistered device";
  if (!asset.macs().empty()) summary += " " + asset.macs(0);
  if (!asset.ips().empty()) summary += " " + asset.ips(0);
  if (!asset.vendor().empty()) summary += " (" + asset.vendor() + ")";
  if (!asset.device_type().empty()) summary += ", looks like a " + asset.device_type();
  if (const std::string where = LocationText(asset.location()); !where.empty()) {
    summary += ", at " + where;
  }
  event.set_summary(summary);
  ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
}

void RaiseConflicts(ReconcileContext& ctx, const v1::Asset& asset,
                    const std::vector<IdentityConflict>& conflicts) {
  for (const auto& c : conflicts) {
    v1::Event event;
    event.set_kind("identity_conflict");
    event.set_severity("medium");
    event.set_source(ctx.actor);
    event.set_summary(c.kind + " " + c.value + " seen by " + ctx.actor + " on " + asset.id() +
                      (asset.ips().empty() ? "" : " at " + asset.ips(0)) + " is held by " +
                      c.owner + "; not joined (a locally administered MAC names a device only " +
                      "with an address its agent reports)");
    ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
  }
}

// Writes the record and tells its history what changed.
Status Finish(ReconcileContext& ctx, const v1::Asset& before, v1::Asset& asset, bool created,
              int64_t previous_last_seen) {
  if (!created) CheckSeen(ctx, previous_last_seen, &asset);
  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, before, asset, &conflicts));
  RaiseConflicts(ctx, asset, conflicts);
  const bool moved = LocationText(before.location()) != LocationText(asset.location());
  auto changes = DiffSummaries(before, asset);
  if (moved) {
    v1::FieldChange change;
    change.set_field("location");
    change.set_before(LocationText(before.location()));
    change.set_after(LocationText(asset.location()));
    changes.push_back(std::move(change));
  }
  if (created) {
    if (asset.ignored_reason().empty() && !asset.managed()) {
      RaiseShadowDevice(ctx, asset);
    } else {
      v1::AssetEvent entry;
      entry.set_kind("created");
      entry.set_source(ctx.actor);
      entry.set_summary("discovered by " + ctx.actor);
      ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry));
    }
  } else if (!changes.empty()) {
    v1::AssetEvent entry;
    entry.set_kind("observed");
    entry.set_source(ctx.actor);
    entry.set_summary("network sighting changed the record");
    for (auto& c : changes) *entry.add_changes() = std::move(c);
    ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry));
  }
  if (!created && asset.managed() &&
      (moved || !std::equal(before.ips().begin(), before.ips().end(), asset.ips().begin(),
                            asset.ips().end()))) {
    const GroupSet& tracked = ctx.options.DriftGroupsFor(asset.asset_class());
    if (tracked.count(drift_group::kNetwork)) {
      ESTATE_RETURN_IF_ERROR(
          RefreshDrift(ctx, asset, nullptr, GroupSet{std::string(drift_group::kNetwork)}));
    }
  }
  PutRecord(ctx.batch, Table::kAssets, asset.id(), asset);
  return Status::Ok();
}

// The asset that was found, or a new discovered one.
Result<v1::Asset> FoundOrNew(ReconcileContext& ctx, std::optional<v1::Asset> found, int64_t seen) {
  if (found) return std::move(*found);
  auto id = AllocateAssetId(ctx.batch);
  if (!id.ok()) return id.status();
  v1::Asset asset;
  asset.set_id(*id);
  asset.set_first_seen(seen);
  asset.set_last_seen(seen);
  return asset;
}

}  // namespace

Status ReconcileObservation(ReconcileContext& ctx, const v1::Observation& o, uint64_t sequence) {
  std::optional<std::string> mac = NormalizeMac(o.mac());
  if (mac && !IsStationMac(*mac)) mac.reset();
  const std::string& ip = o.ip();
  if (!mac && ip.empty()) return Status::Ok();
  // A scanner's clock may be off; never move last_seen into the future.
  const int64_t seen = o.seen_at() > 0 ? std::min<int64_t>(o.seen_at(), ctx.now_s()) : ctx.now_s();

  std::optional<v1::Asset> found;
  if (mac) {
    auto hit = FindByIdentity(ctx.batch, identity::kMac, *mac);
    if (!hit.ok()) return hit.status();
    found = std::move(*hit);
    // Any MAC an agent reported leads to its asset, but one software chose
    // (a VM's, a container's, a phone's rotating one) names that machine only
    // at an address it reports: the same MAC elsewhere is another device (a
    // clone), kept on the record that holds the address with that MAC.
    if (found && HasAgent(*found) && IsLocallyAdministeredMac(*mac) && !ip.empty() &&
        std::find(found->ips().begin(), found->ips().end(), ip) == found->ips().end()) {
      found.reset();
      auto at_ip = FindByIdentity(ctx.batch, identity::kIp, ip);
      if (!at_ip.ok()) return at_ip.status();
      if (at_ip->has_value() && !HasAgent(**at_ip) &&
          std::find((*at_ip)->macs().begin(), (*at_ip)->macs().end(), *mac) !=
              (*at_ip)->macs().end()) {
        found = std::move(*at_ip);
      }
    }
    // A burned-in MAC nobody holds, at an address a device's own SNMP
    // inventory declares: that device's MAC (the base MAC a switch or
    // printer answers ARP with is often on none of its interfaces).
    if (!found && !ip.empty() && !IsLocallyAdministeredMac(*mac)) {
      auto at_ip = FindByIdentity(ctx.batch, identity::kIp, ip);
      if (!at_ip.ok()) return at_ip.status();
      if (at_ip->has_value() && DeclaresAddress(**at_ip, ip) &&
          ctx.now_s() - (*at_ip)->last_seen() <= ctx.options.ip_match_window_s) {
        found = std::move(*at_ip);
      }
    }
  } else {
    auto hit = FindByIdentity(ctx.batch, identity::kIp, ip);
    if (!hit.ok()) return hit.status();
    // An address is reused by DHCP: it names a device only while that
    // device's MAC was recently seen with it.
    if (hit->has_value() && ((*hit)->macs().empty() ||
                             ctx.now_s() - (*hit)->last_seen() <= ctx.options.ip_match_window_s)) {
      found = std::move(*hit);
    }
  }
  const bool created = !found;
  auto loaded = FoundOrNew(ctx, std::move(found), seen);
  if (!loaded.ok()) return loaded.status();
  v1::Asset asset = std::move(*loaded);
  const v1::Asset before = created ? v1::Asset() : asset;
  // After `before`, so that a MAC the record gains here is indexed.
  if (mac && std::find(asset.macs().begin(), asset.macs().end(), *mac) == asset.macs().end()) {
    asset.add_macs(*mac);
  }
  const int64_t previous_last_seen = asset.last_seen();
  asset.set_last_seen(std::max(asset.last_seen(), seen));

  if (!ip.empty()) {
    // An agent's own address list is authoritative; a discovered device is
    // where it was last seen (DHCP moves it).
    if (!HasAgent(asset) && seen >= previous_last_seen) {
      asset.clear_ips();
      asset.add_ips(ip);
    }
    asset.mutable_location()->set_ip(ip);
  }
  if (o.has_switch_port() && !o.switch_port().device().empty() && !HasFlag(o, "uplink")) {
    auto* location = asset.mutable_location();
    location->set_switch_name(o.switch_port().device());
    location->set_port(o.switch_port().port().empty() ? std::to_string(o.switch_port().if_index())
                                                      : o.switch_port().port());
    location->set_vlan(o.switch_port().vlan());
  }
  if (o.has_switch_port() || !ip.empty()) asset.mutable_location()->set_seen_at(seen);
  AddObservationEvidence(o, &asset);
  TouchSource(&asset, "scanner", ctx.actor, sequence, ctx.now_s());
  return Finish(ctx, before, asset, created, previous_last_seen);
}

Status ReconcileNetworkDevice(ReconcileContext& ctx, const v1::NetworkDevice& d,
                              uint64_t sequence) {
  const int64_t seen =
      d.scanned_at() > 0 ? std::min<int64_t>(d.scanned_at(), ctx.now_s()) : ctx.now_s();
  v1::Asset probe;
  SummarizeNetworkDevice(d, &probe);

  std::optional<v1::Asset> found;
  auto try_find = [&](std::string_view kind, const std::string& value) -> Status {
    if (found || value.empty()) return Status::Ok();
    auto hit = FindByIdentity(ctx.batch, kind, value);
    if (!hit.ok()) return hit.status();
    found = std::move(*hit);
    return Status::Ok();
  };
  ESTATE_RETURN_IF_ERROR(try_find(identity::kSerial, probe.serial()));
  for (const auto& mac : probe.macs()) ESTATE_RETURN_IF_ERROR(try_find(identity::kMac, mac));
  ESTATE_RETURN_IF_ERROR(try_find(identity::kIp, d.ip()));

  const bool created = !found;
  auto loaded = FoundOrNew(ctx, std::move(found), seen);
  if (!loaded.ok()) return loaded.status();
  v1::Asset asset = std::move(*loaded);
  const v1::Asset before = created ? v1::Asset() : asset;
  const int64_t previous_last_seen = asset.last_seen();
  asset.set_last_seen(std::max(asset.last_seen(), seen));
  // A host with an agent that also answers SNMP keeps its agent's facts.
  if (!HasAgent(asset)) {
    // The MACs the record already holds stay: the inventory lists its
    // interfaces' MACs, but the one a device answers ARP with at its
    // management address (a switch's base MAC) is often on no interface, and
    // dropping it would make the next sighting of it a second record.
    const auto known = asset.macs();
    SummarizeNetworkDevice(d, &asset);
    std::vector<std::string> macs(known.begin(), known.end());
    for (const auto& mac : asset.macs()) {
      if (std::find(macs.begin(), macs.end(), mac) == macs.end()) macs.push_back(mac);
    }
    asset.clear_macs();
    for (auto& mac : macs) asset.add_macs(std::move(mac));
  }
  // The device's own inventory (VLANs, processors, modules...) is kept
  // whole beside the record; an older scan replayed late does not replace it.
  auto stored = GetDeviceInventory(ctx.batch, asset.id());
  if (!stored.ok()) return stored.status();
  if (!stored->has_value() || (*stored)->scanned_at() <= d.scanned_at()) {
    PutDeviceInventory(ctx.batch, asset.id(), d);
  }
  TouchSource(&asset, "scanner", ctx.actor, sequence, ctx.now_s());
  return Finish(ctx, before, asset, created, previous_last_seen);
}

}  // namespace estate::collector
