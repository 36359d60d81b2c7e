#include "collector/ingest/report_applier.h"

#include <google/protobuf/arena.h>

#include <algorithm>
#include <set>
#include <vector>

#include "collector/reconcile/asset_merger.h"
#include "collector/reconcile/asset_reassign.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/guest_assets.h"
#include "collector/reconcile/identity_claims.h"
#include "collector/reconcile/identity_resolver.h"
#include "collector/reconcile/monitor_assets.h"
#include "collector/reconcile/observation_reconciler.h"
#include "collector/reconcile/peer_kinds.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
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

// The replaced fields of a delta the collector stores or derives from, once each.
std::vector<int> ReplacedFields(const v1::DeltaReport& report) {
  std::vector<int> fields;
  for (uint32_t f : report.replaced_fields()) {
    const int field = static_cast<int>(f);
    if (!IsSectionField(field) && field != v1::HostFacts::kSoftwareFieldNumber) continue;
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.push_back(field);
  }
  std::sort(fields.begin(), fields.end());
  return fields;
}

bool Contains(const std::vector<int>& fields, int field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

// A first report that carries a banned hardware identifier: the node is
// revoked in the store (the session tells the NodeDirectory) and a
// revoked_machine event raised; PermissionDenied.
Status RefuseBannedMachine(ReconcileContext& ctx, const Peer& peer, const MachineBan& ban) {
  const std::string why = "it reports " + ban.kind + " " + ban.value + " of a machine revoked by " +
                          ban.banned_by + " (node " + ban.node_id + ", " + ban.asset_id + ")";
  const std::string key = NodeEnrollmentKey(peer.node_id);
  auto enrollment = GetRecord<v1::NodeEnrollment>(ctx.batch, Table::kNodes, key);
  if (!enrollment.ok()) return enrollment.status();
  if (enrollment->has_value() && (*enrollment)->revoked_at() == 0) {
    (*enrollment)->set_revoked_at(ctx.now_s());
    PutRecord(ctx.batch, Table::kNodes, key, **enrollment);
  }
  v1::Event event;
  event.set_kind("revoked_machine");
  event.set_severity("high");
  event.set_source(peer.node_id);
  event.set_summary("node " + peer.node_id + " refused and revoked: " + why);
  ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
  return Status::PermissionDenied("node " + peer.node_id + " is revoked: " + why);
}

// A discovered record holding one of the agent's MACs is its machine when
// the MAC is the hardware's own (universally administered), or, for a MAC
// software chose (VMs, containers, phones' rotating MACs), when the record was
// seen without an address or at one the agent reports.
bool SameDeviceByMac(const std::string& mac, const v1::Asset& agent, const v1::Asset& discovered) {
  if (!IsLocallyAdministeredMac(mac) || discovered.ips().empty()) return true;
  for (const auto& ip : discovered.ips()) {
    if (std::find(agent.ips().begin(), agent.ips().end(), ip) != agent.ips().end()) return true;
  }
  return false;
}

bool IsHardwareIdentity(const std::string& kind) {
  return kind == identity::kMac || kind == identity::kSerial || kind == identity::kDmiUuid ||
         kind == identity::kMachineId;
}

}  // namespace

ReportApplier::ReportApplier(EventRecorder& events, ReconcileOptions options,
                             SoftwareInventory& software)
    : events_(events),
      options_(std::move(options)),
      software_(software),
      policy_(std::make_shared<SoftwarePolicy>(std::vector<v1::SoftwareRule>{},
                                               std::set<std::string>{}, options_.software)) {}

ReconcileContext ReportApplier::Context(WriteBatch& batch, int64_t now_micros,
                                        const std::string& actor) {
  return ReconcileContext{batch, events_, options_, *policy_, now_micros, actor, &software_};
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
  Status st = StoreFull(batch, peer, state, report.facts(), seq, now_micros, &asset_id);
  if (st.code() == Status::Code::kPermissionDenied) {
    // A banned machine: refused; the Ingestor keeps its event and revocation.
    return Failure(v1::ERROR_CODE_UNAUTHENTICATED, st.message(), seq);
  }
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
  std::string asset_id;
  Status st = StoreDelta(batch, peer, state, report, now_micros, &asset_id);
  if (st.code() == Status::Code::kFailedPrecondition) {
    return Failure(v1::ERROR_CODE_FULL_REPORT_REQUIRED, st.message(), seq);
  }
  if (!st.ok()) return StoreFailure(st, seq);
  return Success(seq, asset_id, false);
}

void ReportApplier::RecordNode(const Peer& peer, v1::NodeState& node, const std::string& asset_id,
                               uint64_t sequence, int64_t now_s, const std::string& hostname) {
  node.set_node_id(peer.node_id);
  node.set_asset_id(asset_id);
  node.set_last_sequence(sequence);
  node.set_last_report_at(now_s);
  node.set_hostname(peer.hostname.empty() ? hostname : peer.hostname);
  node.set_software_version(peer.software_version);
  node.set_kind(PeerKindName(peer.kind));
  node.set_reports(node.reports() + 1);
}

Status ReportApplier::RefreshTrackedFields(ReconcileContext& ctx, const v1::Asset& asset,
                                           v1::NodeState& node, const v1::HostFacts& facts,
                                           const std::vector<int>& fields, bool facts_are_whole,
                                           bool compare_all) {
  GroupSet groups = options_.DriftGroupsFor(asset.asset_class());
  groups.erase(std::string(drift_group::kSoftware));  // the software inventory's
  // What drift tracks of each field, digested: a field whose tracked facts
  // did not move (uptime, free memory, free disk space) costs nothing more.
  std::vector<std::string> scope;
  auto* digests = node.mutable_tracked_digests();
  for (int field : TrackedFields()) {
    if (!Contains(fields, field)) continue;
    while (digests->size() <= field) digests->Add(0);
    const uint64_t digest = TrackedDigest(TrackedFactsOfField(asset, facts, field, groups));
    if (digests->Get(field) == digest && !compare_all) continue;
    digests->Set(field, digest);
    for (const auto& prefix : TrackedPrefixes(field)) scope.push_back(prefix);
  }
  if (compare_all) return RefreshDrift(ctx, asset, &facts, groups);
  if (scope.empty()) return Status::Ok();
  if (facts_are_whole) return RefreshDrift(ctx, asset, &facts, groups, &scope, &facts);
  // A group never baselined needs the node's whole facts: read them (rare).
  v1::HostFacts whole;
  ESTATE_RETURN_IF_ERROR(LoadSections(ctx.batch, asset.id(), node.node_id(), &whole));
  return RefreshDrift(ctx, asset, &facts, groups, &scope, &whole);
}

Status ReportApplier::StoreFull(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                                const v1::HostFacts& facts, uint64_t sequence, int64_t now_micros,
                                std::string* asset_id) {
  ReconcileContext ctx = Context(batch, now_micros, peer.node_id);
  const int64_t now_s = ctx.now_s();
  v1::Asset incoming;
  SummarizeFacts(facts, &incoming);

  // A node keeps the asset it was reconciled into; a new node is matched by
  // its identifiers, strongest first.
  *asset_id = node.asset_id();
  std::string matched_by;
  std::vector<std::string> taken_from;  // revoked nodes whose asset this node takes
  if (asset_id->empty()) {
    // Which machine this is, the agent's hardware says: virtual and locally
    // administered MACs (cloned VMs, veths) never join two agents' machines.
    v1::Asset claims = incoming;
    claims.clear_macs();
    for (const auto& mac : HardwareMacs(facts)) claims.add_macs(mac);
    auto ban = FindMachineBan(batch, claims);
    if (!ban.ok()) return ban.status();
    if (ban->has_value()) return RefuseBannedMachine(ctx, peer, **ban);
    auto candidates = ResolveCandidates(batch, claims);
    if (!candidates.ok()) return candidates.status();
    for (const auto& candidate : *candidates) {
      auto found = LoadAsset(batch, candidate.asset_id);
      if (!found.ok()) return found.status();
      if (!found->has_value()) continue;
      auto holders = HoldersOf(batch, **found, peer.node_id);
      if (!holders.ok()) return holders.status();
      // Another node's machine is not taken over on the word of a report:
      // the identifiers stay with it and SettleConflicts raises the clash.
      if (!holders->live.empty()) continue;
      *asset_id = (*found)->id();
      matched_by = candidate.matched_by;
      // Nodes an admin revoked speak for it no more (a reinstalled machine).
      for (const auto& revoked : holders->revoked) {
        ESTATE_RETURN_IF_ERROR(DetachNode(ctx, **found, revoked));
        taken_from.push_back(revoked);
      }
      break;
    }
  }
  v1::Asset before;
  if (!asset_id->empty()) {
    auto existing = LoadAsset(batch, *asset_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) before = std::move(**existing);
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
  uint64_t present = node.fields_present();
  PutSections(batch, *asset_id, peer.node_id, facts, SectionFields(), &present);
  node.set_fields_present(present);
  PutRecord(batch, Table::kAssets, *asset_id, after);
  ESTATE_RETURN_IF_ERROR(SettleConflicts(ctx, &after, conflicts));
  ESTATE_RETURN_IF_ERROR(SyncMonitorAssets(ctx, after, facts.monitors()));
  ESTATE_RETURN_IF_ERROR(SyncGuestAssets(ctx, after, facts.guests()));

  const GroupSet& tracked = options_.DriftGroupsFor(after.asset_class());
  auto software = software_.Replace(ctx, after, peer.node_id, facts.software(),
                                    tracked.count(drift_group::kSoftware) > 0);
  if (!software.ok()) return software.status();
  after.set_software_count(software->package_count);

  v1::AssetEvent event;
  event.set_source(peer.node_id);
  if (created) {
    event.set_kind("created");
    event.set_summary("first report from " + std::string(PeerKindName(peer.kind)) + " " +
                      peer.node_id + " (" + facts.hostname() + ")");
  } else if (!taken_from.empty()) {
    std::string nodes;
    for (const auto& n : taken_from) nodes += (nodes.empty() ? "" : ", ") + n;
    event.set_kind("reassigned");
    event.set_summary("agent " + peer.node_id + " took over from revoked node(s) " + nodes +
                      " (matched by " + matched_by + ")");
    v1::Event note;
    note.set_kind("reassigned");
    note.set_severity("info");
    note.set_source(peer.node_id);
    note.set_summary(event.summary());
    events_.Raise(batch, nullptr, now_micros, std::move(note));
  } else if (was_discovery_only) {
    event.set_kind("managed");
    event.set_summary("agent " + peer.node_id + " now reports for this device (matched by " +
                      (matched_by.empty() ? "node" : matched_by) + ")");
  } else {
    event.set_kind("report");
    event.set_summary(matched_by.empty() ? "report" : "matched by " + matched_by);
  }
  for (auto& change : DiffSummaries(before, after)) *event.add_changes() = std::move(change);
  // An unchanged periodic report adds no history entry; last_seen still moves.
  if (created || was_discovery_only || !taken_from.empty() || event.changes_size() > 0 ||
      !matched_by.empty()) {
    events_.History(batch, after, now_micros, std::move(event));
  }

  ESTATE_RETURN_IF_ERROR(RefreshServiceFindings(ctx, after, facts.listening()));
  ESTATE_RETURN_IF_ERROR(
      RefreshTrackedFields(ctx, after, node, facts, TrackedFields(),
                           /*facts_are_whole=*/true,
                           /*compare_all=*/created || was_discovery_only || !taken_from.empty()));
  RecordNode(peer, node, *asset_id, sequence, now_s, facts.hostname());
  PutRecord(batch, Table::kAssets, *asset_id, after);
  PutRecord(batch, Table::kNodes, peer.node_id, node);
  return Status::Ok();
}

Status ReportApplier::StoreDelta(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                                 const v1::DeltaReport& report, int64_t now_micros,
                                 std::string* asset_id) {
  ReconcileContext ctx = Context(batch, now_micros, peer.node_id);
  const int64_t now_s = ctx.now_s();
  // The record before and after, on an arena over a per-thread block: built
  // and dropped without a malloc and a free per field.
  thread_local std::vector<char> arena_block(64 << 10);
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = arena_block.data();
  arena_options.initial_block_size = arena_block.size();
  google::protobuf::Arena arena(arena_options);
  v1::Asset& loaded = *google::protobuf::Arena::CreateMessage<v1::Asset>(&arena);
  auto found = LoadAssetInto(batch, node.asset_id(), &loaded);
  if (!found.ok()) return found.status();
  if (!*found) return Status::FailedPrecondition("the node's asset is gone: send a full report");
  const v1::Asset& before = loaded;
  v1::Asset& after = *google::protobuf::Arena::CreateMessage<v1::Asset>(&arena);
  after.CopyFrom(before);
  *asset_id = after.id();
  // Facts live under the node's asset id; merges move them and the node together.
  if (node.asset_id() != after.id()) {
    return Status::FailedPrecondition("the node's asset was merged: send a full report");
  }
  const std::string& facts_asset = node.asset_id();

  const std::vector<int> fields = ReplacedFields(report);
  const v1::HostFacts& values = report.values();
  uint64_t present = node.fields_present();
  PutSections(batch, facts_asset, peer.node_id, values, fields, &present);
  node.set_fields_present(present);
  SummarizeFields(values, fields, &after);
  if (Contains(fields, v1::HostFacts::kMonitorsFieldNumber)) {
    ESTATE_RETURN_IF_ERROR(SyncMonitorAssets(ctx, after, values.monitors()));
  }
  if (Contains(fields, v1::HostFacts::kGuestsFieldNumber)) {
    ESTATE_RETURN_IF_ERROR(SyncGuestAssets(ctx, after, values.guests()));
  }

  const bool track_software =
      options_.DriftGroupsFor(after.asset_class()).count(drift_group::kSoftware) > 0;
  if (Contains(fields, v1::HostFacts::kSoftwareFieldNumber)) {
    auto software = software_.Replace(ctx, after, peer.node_id, values.software(), track_software);
    if (!software.ok()) return software.status();
    after.set_software_count(software->package_count);
  } else if (report.software_upserted_size() > 0 || report.software_removed_size() > 0) {
    auto software = software_.Change(ctx, after, peer.node_id, report.software_upserted(),
                                     report.software_removed(), track_software);
    if (!software.ok()) return software.status();
    after.set_software_count(software->package_count);
  }
  if (Contains(fields, v1::HostFacts::kListeningFieldNumber)) {
    ESTATE_RETURN_IF_ERROR(RefreshServiceFindings(ctx, after, values.listening()));
  }

  after.set_last_seen(now_s);
  TouchSource(&after, PeerKindName(peer.kind), peer.node_id, report.sequence(), now_s);
  CheckSeen(ctx, before.last_seen(), &after);
  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(batch, before, after, &conflicts));
  ESTATE_RETURN_IF_ERROR(SettleConflicts(ctx, &after, conflicts));

  v1::AssetEvent event;
  event.set_source(peer.node_id);
  event.set_kind("delta");
  event.set_summary("report");
  for (auto& change : DiffSummaries(before, after)) *event.add_changes() = std::move(change);
  if (event.changes_size() > 0) events_.History(batch, after, now_micros, std::move(event));

  ESTATE_RETURN_IF_ERROR(RefreshTrackedFields(ctx, after, node, values, fields,
                                              /*facts_are_whole=*/false, /*compare_all=*/false));
  RecordNode(peer, node, *asset_id, report.sequence(), now_s, after.hostname());
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
    if (IsHardwareIdentity(c.kind) && IsDiscoveryOnly(**other) && !*forbidden &&
        (c.kind != identity::kMac || SameDeviceByMac(c.value, *asset, **other))) {
      // The agent's own NIC was seen on the network first: one device.
      auto result = MergeAssets(ctx, asset->id(), (*other)->id(),
                                "the agent reports " + c.kind + " " + c.value);
      if (!result.ok()) return result.status();
      *asset = std::move(*result);
      merged.insert(c.owner);
      continue;
    }
    // Both sides by node: who claims it now, who reported it first.
    auto holders = HoldersOf(ctx.batch, **other, ctx.actor);
    if (!holders.ok()) return holders.status();
    std::string held_by;
    for (const auto* list : {&holders->live, &holders->revoked}) {
      for (const auto& n : *list) held_by += (held_by.empty() ? "node " : ", node ") + n;
    }
    if (held_by.empty()) held_by = "no agent";
    v1::Event event;
    event.set_kind("identity_conflict");
    event.set_severity(IsHardwareIdentity(c.kind) ? "high" : "medium");
    event.set_source(ctx.actor);
    event.set_summary(c.kind + " " + c.value + " reported by node " + ctx.actor + " for " +
                      asset->id() + " is held by " + c.owner + " (" + held_by + "); left with " +
                      c.owner + " (resolve: estatectl merge, or estatectl reassign " + c.owner +
                      " --node " + ctx.actor + ")");
    // The holder's history tells of the claim too, without a snapshot: its
    // record did not change.
    v1::AssetEvent claimed;
    claimed.set_kind("identity_conflict");
    claimed.set_source(ctx.actor);
    claimed.set_summary(event.summary());
    ctx.events.History(ctx.batch, **other, ctx.now_micros, std::move(claimed), false);
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
