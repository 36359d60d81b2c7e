#include "collector/reconcile/policy_checks.h"

#include <map>
#include <set>
#include <tuple>

#include "collector/reconcile/lifecycle.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {
namespace {

// Beyond this many new differences in one report, the low ones are told in one event.
constexpr size_t kMaxDriftEventsPerReport = 20;
constexpr int kMaxChangesPerEvent = 50;

std::string FindingSeverity(const std::string& verdict) {
  if (verdict == verdict::kProhibited) return "high";
  if (verdict == verdict::kUnapproved) return "medium";
  return "low";
}

void RaiseDrift(ReconcileContext& ctx, const v1::Asset& asset,
                const std::vector<const v1::DriftItem*>& items, const std::string& summary) {
  v1::Event event;
  event.set_kind("drift");
  event.set_source(ctx.actor);
  std::string severity = "info";
  for (const auto* item : items) {
    if (SeverityRank(item->severity()) > SeverityRank(severity)) severity = item->severity();
    if (event.changes_size() < kMaxChangesPerEvent) {
      auto* change = event.add_changes();
      change->set_field(item->fact());
      change->set_before(item->before());
      change->set_after(item->after());
    }
  }
  event.set_severity(severity);
  event.set_summary(summary);
  ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
}

Result<v1::Baseline> LoadBaselines(ReconcileContext& ctx, const std::string& asset_id,
                                   const GroupSet& groups, GroupSet* missing) {
  v1::Baseline merged;
  for (const auto& group : groups) {
    auto baseline =
        GetRecord<v1::Baseline>(ctx.batch, Table::kBaselines, BaselineKey(asset_id, group));
    if (!baseline.ok()) return baseline.status();
    if (!baseline->has_value()) {
      missing->insert(group);
      continue;
    }
    for (const auto& [k, v] : (*baseline)->facts()) (*merged.mutable_facts())[k] = v;
  }
  return merged;
}

void StoreBaselines(ReconcileContext& ctx, const std::string& asset_id, const GroupSet& groups,
                    const TrackedFacts& current) {
  for (const auto& group : groups) {
    v1::Baseline baseline;
    baseline.set_accepted_at(ctx.now_s());
    baseline.set_accepted_by(ctx.actor);
    const std::string prefix = group + ".";
    for (auto it = current.lower_bound(prefix);
         it != current.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      (*baseline.mutable_facts())[it->first] = it->second;
    }
    PutRecord(ctx.batch, Table::kBaselines, BaselineKey(asset_id, group), baseline);
  }
}

// The switch port and VLAN a device is first learned on are where it lives,
// not a move: a network baseline without them takes them in silently (an
// agent's first report sets the baseline before any switch was scanned).
// Only a later change of port is drift.
Status AdoptFirstPlacement(ReconcileContext& ctx, const std::string& asset_id,
                           const TrackedFacts& current, v1::Baseline* merged) {
  static const char* kPlacement[] = {"network.port", "network.vlan"};
  bool adopted = false;
  for (const char* fact : kPlacement) {
    auto it = current.find(fact);
    if (it == current.end() || merged->facts().count(fact)) continue;
    (*merged->mutable_facts())[fact] = it->second;
    adopted = true;
  }
  if (!adopted) return Status::Ok();
  const std::string key = BaselineKey(asset_id, drift_group::kNetwork);
  auto stored = GetRecord<v1::Baseline>(ctx.batch, Table::kBaselines, key);
  if (!stored.ok()) return stored.status();
  v1::Baseline network = stored->value_or(v1::Baseline());
  for (const char* fact : kPlacement) {
    if (merged->facts().count(fact)) (*network.mutable_facts())[fact] = merged->facts().at(fact);
  }
  PutRecord(ctx.batch, Table::kBaselines, key, network);
  return Status::Ok();
}

// Groups the caller can evaluate: hardware, OS and software need an agent's facts.
GroupSet Evaluable(const GroupSet& groups, const v1::HostFacts* facts) {
  GroupSet out;
  for (const auto& g : groups) {
    if (facts || g == drift_group::kNetwork) out.insert(g);
  }
  return out;
}

}  // namespace

Status RefreshServiceFindings(
    ReconcileContext& ctx, const v1::Asset& asset,
    const google::protobuf::RepeatedPtrField<v1::ListeningSocket>& sockets) {
  v1::SoftwareFindings now = ctx.policy.EvaluateServices(sockets, asset.asset_class());
  const std::string key = FindingsKey("services", asset.id());
  auto stored = GetRecord<v1::SoftwareFindings>(ctx.batch, Table::kFindings, key);
  if (!stored.ok()) return stored.status();
  std::map<std::tuple<std::string, std::string, std::string>, const v1::SoftwareFinding*> before;
  if (stored->has_value()) {
    for (const auto& f : (*stored)->findings()) before[{f.name(), f.version(), f.verdict()}] = &f;
  }
  std::vector<const v1::SoftwareFinding*> fresh;
  bool changed = (stored->has_value() ? (*stored)->findings_size() : 0) != now.findings_size();
  for (auto& f : *now.mutable_findings()) {
    auto it = before.find({f.name(), f.version(), f.verdict()});
    if (it == before.end()) {
      f.set_first_seen(ctx.now_s());
      fresh.push_back(&f);
      changed = true;
    } else {
      f.set_first_seen(it->second->first_seen());
    }
  }
  if (!changed) return Status::Ok();
  if (now.findings_size() == 0) {
    ctx.batch.Delete(Table::kFindings, key);
  } else {
    PutRecord(ctx.batch, Table::kFindings, key, now);
  }
  if (fresh.empty()) return Status::Ok();

  v1::Event event;
  event.set_kind("shadow_software");
  event.set_source(ctx.actor);
  std::string severity = "low";
  std::map<std::string, int> by_verdict;
  for (const auto* f : fresh) {
    by_verdict[f->verdict()]++;
    if (SeverityRank(FindingSeverity(f->verdict())) > SeverityRank(severity)) {
      severity = FindingSeverity(f->verdict());
    }
    if (event.changes_size() >= kMaxChangesPerEvent) continue;
    auto* change = event.add_changes();
    change->set_field("service " + f->name());
    change->set_after(f->version() + " (" + f->verdict() + ")");
  }
  std::string summary;
  for (const auto& [verdict, count] : by_verdict) {
    summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " + verdict;
  }
  event.set_severity(severity);
  event.set_summary("services not approved on " + asset.hostname() + ": " + summary);
  ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
  return Status::Ok();
}

Status RefreshDrift(ReconcileContext& ctx, const v1::Asset& asset, const v1::HostFacts* facts,
                    const GroupSet& requested, const std::vector<std::string>* scope,
                    const v1::HostFacts* whole_facts) {
  GroupSet groups = Evaluable(requested, facts);
  groups.erase(std::string(drift_group::kSoftware));  // SoftwareInventory's
  if (groups.empty()) return Status::Ok();
  auto in_scope = [&](const std::string& fact) {
    if (scope == nullptr) return true;
    for (const auto& prefix : *scope) {
      if (fact.rfind(prefix, 0) == 0) return true;
    }
    return false;
  };
  GroupSet missing;
  auto baseline = LoadBaselines(ctx, asset.id(), groups, &missing);
  if (!baseline.ok()) return baseline.status();
  TrackedFacts current = CollectTrackedFacts(asset, facts, groups);
  // A group seen for the first time becomes its own baseline: the first
  // report is the approved state until an admin says otherwise.
  if (!missing.empty()) {
    StoreBaselines(
        ctx, asset.id(), missing,
        scope && whole_facts ? CollectTrackedFacts(asset, whole_facts, missing) : current);
  }
  GroupSet compared;
  for (const auto& g : groups) {
    if (!missing.count(g)) compared.insert(g);
  }
  if (compared.empty()) return Status::Ok();
  if (compared.count(drift_group::kNetwork)) {
    ESTATE_RETURN_IF_ERROR(AdoptFirstPlacement(ctx, asset.id(), current, &*baseline));
  }
  if (scope != nullptr) {
    for (auto it = current.begin(); it != current.end();) {
      it = in_scope(it->first) ? std::next(it) : current.erase(it);
    }
    auto* approved = baseline->mutable_facts();
    for (auto it = approved->begin(); it != approved->end();) {
      it = in_scope(it->first) ? std::next(it) : approved->erase(it);
    }
  }

  auto items = CompareToBaseline(*baseline, current, compared,
                                 [&](std::string_view name, std::string_view version) {
                                   v1::Package p;
                                   p.set_name(std::string(name));
                                   p.set_version(std::string(version));
                                   return ctx.policy.PackageVerdict(p, asset.asset_class());
                                 });
  const std::string key = FindingsKey("drift", asset.id());
  auto stored = GetRecord<v1::DriftState>(ctx.batch, Table::kFindings, key);
  if (!stored.ok()) return stored.status();
  std::map<std::string, const v1::DriftItem*> open;
  v1::DriftState next;
  if (stored->has_value()) {
    for (const auto& item : (*stored)->items()) {
      if (compared.count(item.group()) && in_scope(item.fact())) {
        open[item.fact()] = &item;
      } else {
        *next.add_items() = item;  // a fact not looked at this time stays as it was
      }
    }
  }
  std::vector<const v1::DriftItem*> fresh;
  bool changed = open.size() != items.size();
  for (auto& item : items) {
    auto it = open.find(item.fact());
    if (it != open.end() && it->second->after() == item.after()) {
      item.set_first_seen(it->second->first_seen());
    } else {
      item.set_first_seen(ctx.now_s());
      changed = true;
    }
    *next.add_items() = item;
  }
  if (!changed) return Status::Ok();
  for (const auto& item : next.items()) {
    if (item.first_seen() == ctx.now_s() && compared.count(item.group()) && in_scope(item.fact())) {
      auto it = open.find(item.fact());
      if (it == open.end() || it->second->after() != item.after()) fresh.push_back(&item);
    }
  }
  if (next.items_size() == 0) {
    ctx.batch.Delete(Table::kFindings, key);
  } else {
    PutRecord(ctx.batch, Table::kFindings, key, next);
  }

  if (fresh.size() <= kMaxDriftEventsPerReport) {
    for (const auto* item : fresh) RaiseDrift(ctx, asset, {item}, item->summary());
    return Status::Ok();
  }
  std::vector<const v1::DriftItem*> minor;
  for (const auto* item : fresh) {
    if (SeverityRank(item->severity()) >= SeverityRank("medium")) {
      RaiseDrift(ctx, asset, {item}, item->summary());
    } else {
      minor.push_back(item);
    }
  }
  if (!minor.empty()) {
    RaiseDrift(ctx, asset, minor, std::to_string(minor.size()) + " minor changes");
  }
  return Status::Ok();
}

Status AcceptBaseline(ReconcileContext& ctx, const v1::Asset& asset, const v1::HostFacts* facts,
                      const GroupSet& requested) {
  GroupSet groups = Evaluable(requested, facts);
  groups.erase(std::string(drift_group::kSoftware));
  StoreBaselines(ctx, asset.id(), groups, CollectTrackedFacts(asset, facts, groups));
  const std::string key = FindingsKey("drift", asset.id());
  auto stored = GetRecord<v1::DriftState>(ctx.batch, Table::kFindings, key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::Ok();
  v1::DriftState next;
  for (const auto& item : (*stored)->items()) {
    if (!groups.count(item.group())) *next.add_items() = item;
  }
  if (next.items_size() == 0) {
    ctx.batch.Delete(Table::kFindings, key);
  } else {
    PutRecord(ctx.batch, Table::kFindings, key, next);
  }
  return Status::Ok();
}

void CheckSeen(ReconcileContext& ctx, int64_t previous_last_seen, v1::Asset* asset) {
  const int64_t now = ctx.now_s();
  if (asset->missing_since() != 0) {
    v1::AssetEvent back;
    back.set_kind("seen_again");
    back.set_source(ctx.actor);
    back.set_summary("seen again after being missing since " +
                     std::to_string(asset->missing_since()));
    asset->set_missing_since(0);
    ctx.events.History(ctx.batch, *asset, ctx.now_micros, std::move(back));
  }
  if (!lifecycle::IsOutOfService(asset->state())) return;
  if (asset->retired_seen_at() != 0 &&
      now - asset->retired_seen_at() < ctx.options.retired_seen_repeat_s) {
    return;
  }
  asset->set_retired_seen_at(now);
  v1::Event event;
  event.set_kind("retired_seen");
  event.set_severity("high");
  event.set_source(ctx.actor);
  event.set_summary("asset in state " + asset->state() + " seen on the network by " + ctx.actor +
                    (previous_last_seen ? "" : " (first sighting)"));
  ctx.events.Raise(ctx.batch, asset, ctx.now_micros, std::move(event));
}

}  // namespace estate::collector
