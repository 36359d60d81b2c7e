#include "collector/admin/audit_report.h"

#include <algorithm>
#include <set>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/audit_records.h"
#include "collector/admin/location_map.h"
#include "collector/admin/location_path.h"

namespace estate::collector {
namespace {

std::string Attribute(const v1::Asset& asset, const char* key) {
  auto it = asset.attributes().find(key);
  return it == asset.attributes().end() ? "" : it->second;
}

// The kinds of sources that reported the asset since `start`, joined by '+'.
std::string DiscoveryEvidence(const v1::Asset& asset, int64_t start) {
  std::set<std::string> kinds;
  for (const auto& s : asset.sources()) {
    if (s.last_seen() >= start) kinds.insert(s.kind().empty() ? "network" : s.kind());
  }
  if (kinds.empty() && asset.last_seen() >= start) kinds.insert("network");
  std::string out;
  for (const auto& k : kinds) out += (out.empty() ? "" : "+") + k;
  return out;
}

}  // namespace

Result<AssetFilter> AuditScopeFilter(Store& store, const v1::Audit& audit, int64_t now_s) {
  v1::AdminRequest request;
  request.set_command("assets");
  for (const auto& [name, value] : audit.scope()) (*request.mutable_options())[name] = value;
  return AssetFilter::FromRequest(store, request, now_s);
}

Result<AuditReport> BuildAuditReport(Store& store, const v1::Audit& audit, int64_t now_s) {
  auto filter = AuditScopeFilter(store, audit, now_s);
  if (!filter.ok()) return filter.status();
  auto map = LocationMap::Load(store);
  if (!map.ok()) return map.status();
  auto confirmations = LoadConfirmations(store, audit.name());
  if (!confirmations.ok()) return confirmations.status();
  const bool closed = audit.closed_at() != 0;
  std::map<std::string, std::string> results;
  if (closed) {
    auto loaded = LoadAuditResults(store, audit.name());
    if (!loaded.ok()) return loaded.status();
    results = std::move(*loaded);
  }
  std::string scope_location;
  if (auto it = audit.scope().find("location"); it != audit.scope().end()) {
    scope_location = it->second;
  }
  // The newest confirmation of each asset; codes no asset holds are shadows.
  std::map<std::string, const v1::AuditConfirmation*> confirmed;
  AuditReport report;
  std::vector<AuditRow> unknown;
  for (const auto& [code, c] : *confirmations) {
    if (c.asset_id().empty()) {
      AuditRow row;
      row.status = audit_status::kShadow;
      row.code = c.code();
      row.seen_location = c.location();
      row.seen_basis = "confirmed by " + c.by();
      row.evidence = "confirmed";
      row.confirmed_by = c.by();
      row.confirmed_at = c.at();
      unknown.push_back(std::move(row));
      continue;
    }
    auto& slot = confirmed[c.asset_id()];
    if (slot == nullptr || c.at() >= slot->at()) slot = &c;
  }
  const auto& expected = audit.expected();
  report.expected = static_cast<uint64_t>(expected.size());
  std::vector<AuditRow> others;
  ESTATE_RETURN_IF_ERROR(ScanLiveAssets(store, [&](const v1::Asset& a) {
    const bool is_expected = std::binary_search(expected.begin(), expected.end(), a.id());
    auto c = confirmed.find(a.id());
    const v1::AuditConfirmation* confirmation = c == confirmed.end() ? nullptr : c->second;
    std::string evidence = DiscoveryEvidence(a, audit.started_at());
    if (confirmation) evidence = evidence.empty() ? "confirmed" : "confirmed+" + evidence;
    std::string status;
    auto inferred = map->Infer(a);
    std::string seen_location, seen_basis;
    if (confirmation && !confirmation->location().empty()) {
      seen_location = confirmation->location();
      seen_basis = "confirmed by " + confirmation->by();
    } else if (inferred) {
      seen_location = inferred->path;
      seen_basis = inferred->basis;
    }
    const std::string recorded = Attribute(a, "location");
    if (closed) {
      auto r = results.find(a.id());
      if (r == results.end()) return true;
      status = r->second;
    } else if (is_expected) {
      if (evidence.empty()) {
        status = audit_status::kMissing;
      } else {
        status = LocationsDisagree(recorded, seen_location) ? audit_status::kMoved
                                                            : audit_status::kFound;
      }
    } else {
      if (evidence.empty()) return true;
      // Found without being expected: confirmed by someone during the audit,
      // or seen by discovery where the scope looks (its filter now, or the
      // scope's location by the location map).
      bool in_scope = confirmation != nullptr || filter->Matches(a);
      if (!in_scope && !scope_location.empty() && inferred) {
        in_scope = LocationUnder(inferred->path, scope_location);
      }
      if (!in_scope) return true;
      status =
          a.managed() || !a.state().empty() ? audit_status::kUnexpected : audit_status::kShadow;
    }
    AuditRow row;
    row.status = std::move(status);
    row.expected = is_expected;
    row.asset_id = a.id();
    row.tag = Attribute(a, "asset_tag");
    row.serial = a.serial();
    row.code = confirmation ? confirmation->code() : (row.tag.empty() ? row.serial : row.tag);
    row.hostname = a.hostname();
    row.asset_class = a.asset_class();
    row.recorded_location = recorded;
    row.seen_location = std::move(seen_location);
    row.seen_basis = std::move(seen_basis);
    row.evidence = std::move(evidence);
    if (confirmation) {
      row.confirmed_by = confirmation->by();
      row.confirmed_at = confirmation->at();
    }
    (is_expected ? report.rows : others).push_back(std::move(row));
    return true;
  }));
  for (auto& row : others) report.rows.push_back(std::move(row));
  for (auto& row : unknown) report.rows.push_back(std::move(row));
  for (const char* s : {audit_status::kFound, audit_status::kMoved, audit_status::kMissing,
                        audit_status::kUnexpected, audit_status::kShadow}) {
    report.counts[s] = 0;
  }
  for (const auto& row : report.rows) ++report.counts[row.status];
  return report;
}

nlohmann::json AuditRowJson(const AuditRow& row) {
  return {{"status", row.status},
          {"expected", row.expected},
          {"asset_id", row.asset_id},
          {"code", row.code},
          {"asset_tag", row.tag},
          {"serial", row.serial},
          {"hostname", row.hostname},
          {"class", row.asset_class},
          {"recorded_location", row.recorded_location},
          {"seen_location", row.seen_location},
          {"seen_basis", row.seen_basis},
          {"evidence", row.evidence},
          {"confirmed_by", row.confirmed_by},
          {"confirmed_at", FormatTime(row.confirmed_at)}};
}

}  // namespace estate::collector
