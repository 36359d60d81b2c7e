#include "collector/ingest/report_applier.h"

#include <algorithm>
#include <set>

#include "collector/reconcile/asset_merger.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/identity_resolver.h"
#include "collector/reconcile/observation_reconciler.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/facts_delta.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

ApplyOutcome Failure(v1::ErrorCode code, const std::string& message, uint64_t sequence) {
  ApplyOutcome out;
  out.error.set_code(code);
  out.error.set_message(message);
  out.error.set_sequence(sequence);
  return out;
}

ApplyOutcome StoreFailure(const Status& status, uint64_t sequence) {
  return Failure(v1::ERROR_CODE_UNAVAILABLE,
                 "collector could not store the report: " + status.ToString(), sequence);
}

ApplyOutcome Success(uint64_t sequence, const std::string& asset_id, bool duplicate) {
  ApplyOutcome out;
  out.ok = true;
  out.duplicate = duplicate;
  out.ack.set_sequence(sequence);
  out.ack.set_asset_id(asset_id);
  return out;
}

const char* PeerKindName(v1::PeerKind kind) {
  switch (kind) {
    case v1::PEER_KIND_AGENT:
      return "agent";
    case v1::PEER_KIND_SCANNER:
      return "scanner";
    default:
      return "unknown";
  }
}

// A delta touches software or services when it upserts/removes packages or
// replaces the software or listening lists.
bool DeltaChangesSoftware(const v1::DeltaReport& report) {
  if (report.software_upserted_size() > 0 || report.software_removed_size() > 0) return true;
  for (uint32_t field : report.replaced_fields()) {
    if (field == v1::HostFacts::kSoftwareFieldNumber ||
        field == v1::HostFacts::kListeningFieldNumber) {
      return true;
    }
  }
  return false;
}

bool IsHardwareIdentity(const std::string& kind) {
  return kind == identity::kMac || kind == identity::kSerial || kind == identity::kDmiUuid ||
         kind == identity::kMachineId;
}

}  // namespace

ReportApplier::ReportApplier(EventRecorder& events, ReconcileOptions options)
    : events_(events),
      options_(std::move(options)),
      policy_(std::make_shared<SoftwarePolicy>(std::vector<v1::SoftwareRule>{},
                                               std::set<std::string>{}, options_.software)) {}

ReconcileContext ReportApplier::Context(WriteBatch& batch, int64_t now_micros,
                                        const std::string& actor) {
  return ReconcileContext{batch, events_, options_, *policy_, now_micros, actor};
}

Result<uint64_t> ReportApplier::LastSequence(ReadView& view, const std::string& node_id) {
  auto node = GetRecord<v1::NodeState>(view, Table::kNodes, node_id);
  if (!node.ok()) return node.status();
  return node->has_value() ? (*node)->last_sequence() : 0;
}

ApplyOutcome ReportApplier::ApplyFull(WriteBatch& batch, const Peer& peer,
                                      const v1::FullReport& report, int64_t now_micros) {
  const uint64_t seq = report.sequence();
  if (seq == 0) return Failure(v1::ERROR_CODE_INVALID_REPORT, "report sequence must be > 0", seq);
  auto node = GetRecord<v1::NodeState>(batch, Table::kNodes, peer.node_id);
  if (!node.ok()) return StoreFailure(node.status(), seq);
  v1::NodeState state = node->value_or(v1::NodeState());
  if (state.last_sequence() >= seq) return Success(seq, state.asset_id(), /*duplicate=*/true);

  std::string asset_id;
  Status st = StoreFacts(batch, peer, state, report.facts(), seq, "report",
                         /*software_changed=*/true, now_micros, &asset_id);
  if (!st.ok()) return StoreFailure(st, seq);
  return Success(seq, asset_id, false);
}

ApplyOutcome ReportApplier::ApplyDelta(WriteBatch& batch, const Peer& peer,
                                       const v1::DeltaReport& report, int64_t now_micros) {
  const uint64_t seq = report.sequence();
  auto node = GetRecord<v1::NodeState>(batch, Table::kNodes, peer.node_id);
  if (!node.ok()) return StoreFailure(node.status(), seq);
  if (!node->has_value() || (*node)->asset_id().empty()) {
    return Failure(v1::ERROR_CODE_FULL_REPORT_REQUIRED,
                   "no stored report for this node: send a full report", seq);
  }
  v1::NodeState state = **node;
  if (state.last_sequence() >= seq) return Success(seq, state.asset_id(), /*duplicate=*/true);
  if (state.last_sequence() != report.base_sequence()) {
    return Failure(v1::ERROR_CODE_FULL_REPORT_REQUIRED,
                   "delta is based on report " + std::to_string(report.base_sequence()) +
                       " but the collector holds " + std::to_string(state.last_sequence()),
                   seq);
  }
  auto stored =
      GetRecord<v1::HostFacts>(batch, Table::kFacts, FactsKey(state.asset_id(), peer.node_id));
  if (!stored.ok()) return StoreFailure(stored.status(), seq);
  if (!stored->has_value()) {
    return Failure(v1::ERROR_CODE_FULL_REPORT_REQUIRED, "stored facts missing: send a full report",
                   seq);
  }
  v1::HostFacts facts = std::move(**stored);
  Status applied = estate::ApplyDelta(&facts, report);
  if (!applied.ok()) return Failure(v1::ERROR_CODE_INVALID_REPORT, applied.message(), seq);

  std::string asset_id;
  Status st = StoreFacts(batch, peer, state, facts, seq, "delta", DeltaChangesSoftware(report),
                         now_micros, &asset_id);
  if (!st.ok()) return StoreFailure(st, seq);
  return Success(seq, asset_id, false);
}

Status ReportApplier::StoreFacts(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                                 const v1::HostFacts& facts, uint64_t sequence,
                                 const char* event_kind, bool software_changed, int64_t now_micros,
                                 std::string* asset_id) {
  ReconcileContext ctx = Context(batch, now_micros, peer.node_id);
  const int64_t now_s = ctx.now_s();
  v1::Asset incoming;
  SummarizeFacts(facts, &incoming);

  // A node keeps the asset it was reconciled into; a new node is matched by
  // its identifiers, strongest first.
  *asset_id = node.asset_id();
  std::string matched_by;
  if (asset_id->empty()) {
    auto resolved = ResolveAsset(batch, incoming);
    if (!resolved.ok()) return resolved.status();
    if (resolved->has_value()) {
      *asset_id = (*resolved)->asset_id;
      matched_by = (*resolved)->matched_by;
    }
  }
  v1::Asset before;
  if (!asset_id->empty()) {
    auto existing = LoadAsset(batch, *asset_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) before = **existing;
  }
  bool created = false;
  if (before.id().empty()) {
    if (asset_id->empty()) {
      auto id = AllocateAssetId(batch);
      if (!id.ok()) return id.status();
      *asset_id = *id;
    }
    created = true;
    before.set_id(*asset_id);
    before.set_first_seen(now_s);
  }
  *asset_id = before.id();  // a merged record resolves to its survivor
  const bool was_discovery_only = !created && IsDiscoveryOnly(before);

  v1::Asset after = before;
  SummarizeFacts(facts, &after);
  after.set_last_seen(now_s);
  after.set_managed(true);
  if (after.state().empty()) after.set_state("deployed");
  TouchSource(&after, PeerKindName(peer.kind), peer.node_id, sequence, now_s);
  if (!created) CheckSeen(ctx, before.last_seen(), &after);

  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(batch, created ? v1::Asset() : before, after, &conflicts));
  PutRecord(batch, Table::kFacts, FactsKey(*asset_id, peer.node_id), facts);
  PutRecord(batch, Table::kAssets, *asset_id, after);
  ESTATE_RETURN_IF_ERROR(SettleConflicts(ctx, &after, conflicts));

  v1::AssetEvent event;
  event.set_source(peer.node_id);
  if (created) {
    event.set_kind("created");
    event.set_summary("first report from " + std::string(PeerKindName(peer.kind)) + " " +
                      peer.node_id + " (" + facts.hostname() + ")");
  } else if (was_discovery_only) {
    event.set_kind("managed");
    event.set_summary("agent " + peer.node_id + " now reports for this device (matched by " +
                      (matched_by.empty() ? "node" : matched_by) + ")");
  } else {
    event.set_kind(event_kind);
    event.set_summary(matched_by.empty() ? "report" : "matched by " + matched_by);
  }
  for (auto& change : DiffSummaries(before, after)) *event.add_changes() = std::move(change);
  // An unchanged periodic report adds no history entry; last_seen still moves.
  if (created || was_discovery_only || event.changes_size() > 0 || !matched_by.empty()) {
    events_.History(batch, after, now_micros, std::move(event));
  }

  if (software_changed || created || was_discovery_only) {
    ESTATE_RETURN_IF_ERROR(RefreshSoftwareFindings(ctx, after, facts));
  }
  GroupSet groups = options_.DriftGroupsFor(after.asset_class());
  if (!software_changed && !created && !was_discovery_only) {
    groups.erase(std::string(drift_group::kSoftware));  // nothing to compare, skip reading it
  }
  ESTATE_RETURN_IF_ERROR(RefreshDrift(ctx, after, &facts, groups));

  node.set_node_id(peer.node_id);
  node.set_asset_id(*asset_id);
  node.set_last_sequence(sequence);
  node.set_last_report_at(now_s);
  node.set_hostname(peer.hostname.empty() ? facts.hostname() : peer.hostname);
  node.set_software_version(peer.software_version);
  node.set_kind(PeerKindName(peer.kind));
  node.set_reports(node.reports() + 1);
  PutRecord(batch, Table::kAssets, *asset_id, after);
  PutRecord(batch, Table::kNodes, peer.node_id, node);
  return Status::Ok();
}

Status ReportApplier::SettleConflicts(ReconcileContext& ctx, v1::Asset* asset,
                                      const std::vector<IdentityConflict>& conflicts) {
  std::set<std::string> merged;
  for (const auto& c : conflicts) {
    if (merged.count(c.owner)) continue;
    auto other = LoadAsset(ctx.batch, c.owner);
    if (!other.ok()) return other.status();
    if (!other->has_value() || (*other)->id() == asset->id()) continue;
    auto forbidden = MergeForbidden(ctx.batch, asset->id(), (*other)->id());
    if (!forbidden.ok()) return forbidden.status();
    if (IsHardwareIdentity(c.kind) && IsDiscoveryOnly(**other) && !*forbidden) {
      // The agent's own NIC was seen on the network first: one device.
      auto result = MergeAssets(ctx, asset->id(), (*other)->id(),
                                "the agent reports " + c.kind + " " + c.value);
      if (!result.ok()) return result.status();
      *asset = std::move(*result);
      merged.insert(c.owner);
      continue;
    }
    v1::Event event;
    event.set_kind("identity_conflict");
    event.set_severity("medium");
    event.set_source(ctx.actor);
    event.set_summary(c.kind + " " + c.value + " is claimed by " + asset->id() + " and " + c.owner +
                      "; left with " + c.owner);
    ctx.events.Raise(ctx.batch, asset, ctx.now_micros, std::move(event));
  }
  return Status::Ok();
}

ApplyOutcome ReportApplier::ApplyObservations(WriteBatch& batch, const Peer& peer,
                                              const v1::ObservationReport& report,
                                              int64_t now_micros) {
  const uint64_t seq = report.sequence();
  const int64_t now_s = now_micros / 1000000;
  auto node = GetRecord<v1::NodeState>(batch, Table::kNodes, peer.node_id);
  if (!node.ok()) return StoreFailure(node.status(), seq);
  v1::NodeState state = node->value_or(v1::NodeState());
  if (seq != 0 && state.last_sequence() >= seq) return Success(seq, "", /*duplicate=*/true);

  ReconcileContext ctx = Context(batch, now_micros, peer.node_id);
  auto sight = [&](const std::string& key, const std::string& mac, const std::string& ip,
                   const std::string& vendor, const std::string& hostname,
                   const std::string& source, int64_t seen_at, bool local) -> Status {
    v1::Sighting s;
    s.set_first_seen(seen_at);
    s.set_last_seen(seen_at);
    s.set_mac(mac);
    s.set_ip(ip);
    s.set_vendor(vendor);
    s.set_hostname(hostname);
    s.set_mac_locally_administered(local);
    s.set_reporter(peer.node_id);
    s.add_sources(source);
    batch.Merge(Table::kSightings, key, s.SerializeAsString());
    return Status::Ok();
  };

  for (const auto& obs : report.observations()) {
    auto mac = NormalizeMac(obs.mac());
    if (!mac && obs.ip().empty()) continue;  // nothing to key a sighting on
    const std::string key = mac ? *mac : "ip:" + obs.ip();
    const int64_t seen = obs.seen_at() > 0 ? std::min<int64_t>(obs.seen_at(), now_s) : now_s;
    const std::string source =
        ShortEnumName("ObservationSource", v1::ObservationSource_Name(obs.source()));
    Status st = sight(key, mac.value_or(""), obs.ip(), obs.vendor(), obs.hostname(), source, seen,
                      mac && IsLocallyAdministeredMac(*mac));
    if (st.ok()) st = ReconcileObservation(ctx, obs, seq);
    if (!st.ok()) return StoreFailure(st, seq);
  }
  for (const auto& device : report.devices()) {
    if (device.ip().empty()) continue;
    Status st = sight("device:" + device.ip(), "", device.ip(), device.vendor(), device.sys_name(),
                      "snmp", device.scanned_at() > 0 ? device.scanned_at() : now_s, false);
    if (st.ok()) st = ReconcileNetworkDevice(ctx, device, seq);
    if (!st.ok()) return StoreFailure(st, seq);
  }

  state.set_node_id(peer.node_id);
  state.set_kind(PeerKindName(peer.kind));
  state.set_hostname(peer.hostname);
  state.set_software_version(peer.software_version);
  if (seq > state.last_sequence()) state.set_last_sequence(seq);
  state.set_last_report_at(now_s);
  state.set_reports(state.reports() + 1);
  PutRecord(batch, Table::kNodes, peer.node_id, state);
  return Success(seq, "", false);
}

}  // namespace estate::collector
