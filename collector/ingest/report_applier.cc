#include "collector/ingest/report_applier.h"

#include <cstdio>
#include <set>

#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/identity_resolver.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/facts_delta.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr char kNextAssetIdSetting[] = "next_asset_id";

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

void TouchSource(v1::Asset* asset, const Peer& peer, uint64_t sequence, int64_t now_s) {
  for (auto& source : *asset->mutable_sources()) {
    if (source.node_id() == peer.node_id) {
      source.set_last_seen(now_s);
      source.set_last_sequence(sequence);
      return;
    }
  }
  auto* source = asset->add_sources();
  source->set_kind(PeerKindName(peer.kind));
  source->set_node_id(peer.node_id);
  source->set_first_seen(now_s);
  source->set_last_seen(now_s);
  source->set_last_sequence(sequence);
}

}  // namespace

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
  Status st = StoreFacts(batch, peer, state, report.facts(), seq, "report", now_micros, &asset_id);
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
  Status st = StoreFacts(batch, peer, state, facts, seq, "delta", now_micros, &asset_id);
  if (!st.ok()) return StoreFailure(st, seq);
  return Success(seq, asset_id, false);
}

Status ReportApplier::StoreFacts(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                                 const v1::HostFacts& facts, uint64_t sequence,
                                 const char* event_kind, int64_t now_micros,
                                 std::string* asset_id) {
  const int64_t now_s = now_micros / 1000000;
  v1::Asset incoming;
  SummarizeFacts(facts, &incoming);

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
  bool created = false;
  if (!asset_id->empty()) {
    auto existing = GetRecord<v1::Asset>(batch, Table::kAssets, *asset_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) before = **existing;
  }
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

  v1::Asset after = before;
  SummarizeFacts(facts, &after);
  after.set_last_seen(now_s);
  TouchSource(&after, peer, sequence, now_s);

  // Re-index: drop identifiers the asset no longer has (when they still point
  // here), add the new ones. An identifier held by another asset is a conflict
  // recorded in history, never silently taken over — except IPs, which move.
  std::set<std::pair<std::string, std::string>> old_ids, new_ids;
  for (auto& id : AssetIdentities(before)) old_ids.insert(id);
  for (auto& id : AssetIdentities(after)) new_ids.insert(id);
  for (const auto& [kind, value] : old_ids) {
    if (new_ids.count({kind, value})) continue;
    const std::string key = IdentityKey(kind, value);
    auto owner = batch.Get(Table::kIdentity, key);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner == *asset_id) batch.Delete(Table::kIdentity, key);
  }
  std::vector<std::string> conflicts;
  for (const auto& [kind, value] : new_ids) {
    const std::string key = IdentityKey(kind, value);
    auto owner = batch.Get(Table::kIdentity, key);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner != *asset_id && kind != identity::kIp &&
        kind != identity::kHostname) {
      conflicts.push_back(kind + " " + value + " is also claimed by " + **owner);
      continue;
    }
    batch.Put(Table::kIdentity, key, *asset_id);
  }

  v1::AssetEvent event;
  event.set_source(peer.node_id);
  if (created) {
    event.set_kind("created");
    event.set_summary("first report from " + std::string(PeerKindName(peer.kind)) + " " +
                      peer.node_id + " (" + facts.hostname() + ")");
  } else {
    event.set_kind(event_kind);
    event.set_summary(matched_by.empty() ? "report" : "matched by " + matched_by);
  }
  for (auto& change : DiffSummaries(before, after)) *event.add_changes() = std::move(change);
  // An unchanged periodic report adds no history entry; last_seen still moves.
  if (created || event.changes_size() > 0 || !matched_by.empty()) {
    ESTATE_RETURN_IF_ERROR(AppendEvent(batch, *asset_id, now_micros, std::move(event)));
  }
  for (const auto& conflict : conflicts) {
    v1::AssetEvent c;
    c.set_kind("identity_conflict");
    c.set_source(peer.node_id);
    c.set_summary(conflict);
    ESTATE_RETURN_IF_ERROR(AppendEvent(batch, *asset_id, now_micros, std::move(c)));
  }

  node.set_node_id(peer.node_id);
  node.set_asset_id(*asset_id);
  node.set_last_sequence(sequence);
  node.set_last_report_at(now_s);
  node.set_hostname(peer.hostname.empty() ? facts.hostname() : peer.hostname);
  node.set_software_version(peer.software_version);
  node.set_kind(PeerKindName(peer.kind));
  node.set_reports(node.reports() + 1);

  PutRecord(batch, Table::kFacts, FactsKey(*asset_id, peer.node_id), facts);
  PutRecord(batch, Table::kAssets, *asset_id, after);
  PutRecord(batch, Table::kNodes, peer.node_id, node);
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

  auto merge = [&](const std::string& key, const std::string& mac, const std::string& ip,
                   const std::string& vendor, const std::string& hostname,
                   const std::string& source, int64_t seen_at, bool local) -> Status {
    auto existing = GetRecord<v1::Sighting>(batch, Table::kSightings, key);
    if (!existing.ok()) return existing.status();
    v1::Sighting s = existing->value_or(v1::Sighting());
    if (s.first_seen() == 0 || seen_at < s.first_seen()) s.set_first_seen(seen_at);
    if (seen_at > s.last_seen()) s.set_last_seen(seen_at);
    if (!mac.empty()) s.set_mac(mac);
    if (!ip.empty()) s.set_ip(ip);
    if (!vendor.empty()) s.set_vendor(vendor);
    if (!hostname.empty()) s.set_hostname(hostname);
    s.set_mac_locally_administered(local);
    s.set_reporter(peer.node_id);
    bool known = false;
    for (const auto& existing_source : s.sources()) known |= existing_source == source;
    if (!known) s.add_sources(source);
    PutRecord(batch, Table::kSightings, key, s);
    return Status::Ok();
  };

  for (const auto& obs : report.observations()) {
    auto mac = NormalizeMac(obs.mac());
    if (!mac && obs.ip().empty()) continue;  // nothing to key a sighting on
    const std::string key = mac ? *mac : "ip:" + obs.ip();
    const int64_t seen = obs.seen_at() > 0 ? obs.seen_at() : now_s;
    const std::string source =
        ShortEnumName("ObservationSource", v1::ObservationSource_Name(obs.source()));
    Status st = merge(key, mac.value_or(""), obs.ip(), obs.vendor(), obs.hostname(), source, seen,
                      mac && IsLocallyAdministeredMac(*mac));
    if (!st.ok()) return StoreFailure(st, seq);
  }
  for (const auto& device : report.devices()) {
    if (device.ip().empty()) continue;
    Status st = merge("device:" + device.ip(), "", device.ip(), device.vendor(), device.sys_name(),
                      "snmp", device.scanned_at() > 0 ? device.scanned_at() : now_s, false);
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

Result<std::string> ReportApplier::AllocateAssetId(WriteBatch& batch) {
  auto raw = batch.Get(Table::kSettings, kNextAssetIdSetting);
  if (!raw.ok()) return raw.status();
  uint64_t next = 1;
  if (raw->has_value()) {
    auto parsed = ParseUint(**raw);
    if (!parsed) return Status::Corruption("settings: next_asset_id is not a number");
    next = *parsed;
  }
  batch.Put(Table::kSettings, kNextAssetIdSetting, std::to_string(next + 1));
  char id[32];
  std::snprintf(id, sizeof id, "A-%06llu", static_cast<unsigned long long>(next));
  return std::string(id);
}

Status ReportApplier::AppendEvent(WriteBatch& batch, const std::string& asset_id,
                                  int64_t now_micros, v1::AssetEvent event) {
  event.set_at(now_micros / 1000000);
  PutRecord(batch, Table::kHistory, HistoryKey(asset_id, now_micros, event_counter_++), event);
  return Status::Ok();
}

}  // namespace estate::collector
