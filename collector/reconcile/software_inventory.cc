#include "collector/reconcile/software_inventory.h"

#include <algorithm>
#include <tuple>

#include "collector/reconcile/reconcile_context.h"
#include "collector/store/keys.h"

namespace estate::collector {
namespace {

// Beyond this many entries an event lists only the first ones.
constexpr int kMaxChangesPerEvent = 50;

std::string FindingSeverity(std::string_view verdict) {
  if (verdict == verdict::kProhibited) return "high";
  if (verdict == verdict::kUnapproved) return "medium";
  return "low";
}

std::vector<SoftwareEntry> SortedUnique(std::vector<SoftwareEntry> entries) {
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const SoftwareEntry& a, const SoftwareEntry& b) { return a.title < b.title; });
  // One entry per title: a list naming a package twice keeps its first.
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const SoftwareEntry& a, const SoftwareEntry& b) {
                              return a.title == b.title;
                            }),
                entries.end());
  return entries;
}

}  // namespace

std::string_view VersionVerdict(const SoftwarePolicy& policy, const SoftwareCatalogue& catalogue,
                                uint32_t version, const std::string& asset_class) {
  auto v = catalogue.VersionById(version);
  if (!v) return verdict::kUnknown;
  auto t = catalogue.TitleById(v->title);
  if (!t) return verdict::kUnknown;
  v1::Package package;
  package.set_name(t->name);
  package.set_version(v->version);
  package.set_publisher(v->publisher);
  return policy.PackageVerdict(package, asset_class);
}

std::string SoftwareDriftSeverity(uint32_t approved, uint32_t now, std::string_view verdict) {
  if (now == 0) return "low";  // removed
  if (verdict == verdict::kProhibited) return "critical";
  if (approved == 0) return verdict == verdict::kApproved ? "low" : "medium";  // added
  return "low";
}

std::string SoftwareDriftMarkerKey(const std::string& asset_id, const std::string& node_id) {
  return FindingsKey("software_drift", asset_id + std::string(1, '\0') + node_id);
}

Result<std::unique_ptr<SoftwareInventory>> SoftwareInventory::Open(Store& store) {
  auto catalogue = SoftwareCatalogue::Load(store);
  if (!catalogue.ok()) return catalogue.status();
  std::unique_ptr<SoftwareInventory> inventory(new SoftwareInventory());
  inventory->catalogue_ = std::move(*catalogue);
  return inventory;
}

Result<std::optional<HostSoftware>> SoftwareInventory::Load(ReadView& view,
                                                            const std::string& asset_id,
                                                            const std::string& node_id) {
  auto raw = view.Get(Table::kSoftware, SoftwareKey(asset_id, node_id));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<HostSoftware>();
  HostSoftware software;
  if (!DecodeSoftwareSet(**raw, &software)) {
    return Status::Corruption("unparsable software set of " + asset_id + " node " + node_id);
  }
  return std::optional<HostSoftware>(std::move(software));
}

void SoftwareInventory::Count(uint32_t version, const std::string& asset_class, int64_t delta) {
  if (version != 0) report_counts_[{version, asset_class}] += delta;
}

std::string_view SoftwareInventory::Verdict(const SoftwarePolicy& policy, uint32_t version,
                                            const std::string& asset_class) {
  std::string key(4, '\0');
  for (int i = 0; i < 4; ++i) key[i] = static_cast<char>(version >> (24 - 8 * i));
  key += asset_class;
  {
    std::lock_guard lock(verdict_mu_);
    if (auto it = verdicts_.find(key); it != verdicts_.end()) return it->second;
  }
  const std::string_view verdict = VersionVerdict(policy, *catalogue_, version, asset_class);
  std::lock_guard lock(verdict_mu_);
  verdicts_.emplace(std::move(key), verdict);
  return verdict;
}

void SoftwareInventory::PolicyChanged() {
  std::lock_guard lock(verdict_mu_);
  verdicts_.clear();
}

Status SoftwareInventory::Settle(ReconcileContext& ctx, const v1::Asset& asset,
                                 const HostSoftware& before, HostSoftware& after,
                                 const std::vector<TitleChange>& changes, bool first_report,
                                 bool track_drift, v1::SoftwareSetOps* ops) {
  const std::string& asset_class = asset.asset_class();
  struct DriftItem {
    uint32_t title, approved, now;
    std::string severity;
  };
  std::vector<DriftItem> drift;
  struct Finding {
    uint32_t title, version;
    std::string_view verdict;
  };
  std::vector<Finding> findings;
  const bool flag_unknown = ctx.policy.flags_unknown_software();

  for (const TitleChange& c : changes) {
    const uint32_t was = c.before ? catalogue_->VersionId(c.title, c.before->version_rank) : 0;
    const uint32_t is = c.after ? catalogue_->VersionId(c.title, c.after->version_rank) : 0;
    if (was != is) {
      Count(was, asset_class, -1);
      Count(is, asset_class, +1);
    }
    const std::string_view verdict = is ? Verdict(ctx.policy, is, asset_class) : verdict::kApproved;
    if (is && verdict != verdict::kApproved && (verdict != verdict::kUnknown || flag_unknown)) {
      const std::string_view previous =
          was ? Verdict(ctx.policy, was, asset_class) : verdict::kApproved;
      // `estatectl ignore software NAME` silences the finding, not the drift.
      bool silenced = false;
      if (previous != verdict && !ctx.policy.ignored().empty()) {
        auto t = catalogue_->TitleById(c.title);
        silenced = t && ctx.policy.ignored().count(t->name);
      }
      if (previous != verdict && !silenced) findings.push_back({c.title, is, verdict});
    }
    if (first_report || !track_drift || was == is) continue;
    const v1::BaselineException* open = after.FindException(c.title);
    const uint32_t approved = open ? open->version() : was;
    auto at =
        std::lower_bound(after.exceptions.begin(), after.exceptions.end(), c.title,
                         [](const v1::BaselineException& e, uint32_t t) { return e.title() < t; });
    if (is == approved) {
      // Back to the approved state: the difference closes.
      if (open) {
        if (ops) ops->add_exceptions_cleared(c.title);
        after.exceptions.erase(at);
      }
      continue;
    }
    v1::BaselineException exception;
    exception.set_title(c.title);
    exception.set_version(approved);
    exception.set_since(open ? open->since() : ctx.now_s());
    if (ops) *ops->add_exceptions_set() = exception;
    if (open) {
      *at = exception;
    } else {
      after.exceptions.insert(at, exception);
    }
    drift.push_back({c.title, approved, is, SoftwareDriftSeverity(approved, is, verdict)});
  }

  auto name_of = [&](uint32_t title) {
    auto t = catalogue_->TitleById(title);
    return t ? t->name : "title " + std::to_string(title);
  };
  auto version_of = [&](uint32_t version) -> std::string {
    if (version == 0) return "";
    auto v = catalogue_->VersionById(version);
    return v ? v->version : "";
  };
  // Drift: important changes one event each, routine ones (upgrades,
  // removals, approved installs) together in one event per report.
  auto raise_drift = [&](const std::vector<const DriftItem*>& items, const std::string& summary) {
    v1::Event event;
    event.set_kind("drift");
    event.set_source(ctx.actor);
    std::string severity = "info";
    for (const DriftItem* item : items) {
      if (SeverityRank(item->severity) > SeverityRank(severity)) severity = item->severity;
      if (event.changes_size() >= kMaxChangesPerEvent) continue;
      auto* change = event.add_changes();
      change->set_field("software." + name_of(item->title));
      change->set_before(version_of(item->approved));
      change->set_after(version_of(item->now));
    }
    event.set_severity(severity);
    event.set_summary(summary);
    ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
  };
  auto describe = [&](const DriftItem& item) {
    const std::string fact = "software." + name_of(item.title);
    if (item.approved == 0) return fact + " added: " + version_of(item.now);
    if (item.now == 0) return fact + " removed (was " + version_of(item.approved) + ")";
    return fact + " changed: " + version_of(item.approved) + " -> " + version_of(item.now);
  };
  std::vector<const DriftItem*> minor;
  for (const DriftItem& item : drift) {
    if (SeverityRank(item.severity) >= SeverityRank("medium")) {
      raise_drift({&item}, describe(item));
    } else {
      minor.push_back(&item);
    }
  }
  if (minor.size() == 1) raise_drift(minor, describe(*minor.front()));
  if (minor.size() > 1) raise_drift(minor, std::to_string(minor.size()) + " software changes");

  if (!findings.empty()) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
      return SeverityRank(FindingSeverity(a.verdict)) > SeverityRank(FindingSeverity(b.verdict));
    });
    std::map<std::string_view, int> by_verdict;
    v1::Event event;
    event.set_kind("shadow_software");
    event.set_source(ctx.actor);
    event.set_severity(FindingSeverity(findings.front().verdict));
    for (const Finding& f : findings) {
      by_verdict[f.verdict]++;
      if (event.changes_size() >= kMaxChangesPerEvent) continue;
      auto* change = event.add_changes();
      change->set_field("package " + name_of(f.title));
      change->set_after(version_of(f.version) + " (" + std::string(f.verdict) + ")");
    }
    std::string summary;
    for (const auto& [verdict, count] : by_verdict) {
      summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " + std::string(verdict);
    }
    event.set_summary("software not approved on " + asset.hostname() + ": " + summary);
    ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
  }
  (void)before;
  return Status::Ok();
}

Result<SoftwareInventory::Outcome> SoftwareInventory::Replace(
    ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id,
    const google::protobuf::RepeatedPtrField<v1::Package>& packages, bool track_drift) {
  auto prior = Load(ctx.batch, asset.id(), node_id);
  if (!prior.ok()) return prior.status();
  std::vector<SoftwareEntry> entries;
  entries.reserve(static_cast<size_t>(packages.size()));
  for (const auto& p : packages) {
    const SoftwareCatalogue::Ref ref = catalogue_->Intern(ctx.batch, p);
    entries.push_back({ref.title, ref.rank, p.install_time()});
  }
  HostSoftware after;
  after.entries = SortedUnique(std::move(entries));
  const HostSoftware empty;
  const HostSoftware& before = prior->has_value() ? **prior : empty;
  if (prior->has_value()) {
    after.exceptions = before.exceptions;
    after.baseline_at = before.baseline_at;
    after.baseline_by = before.baseline_by;
  } else {
    after.baseline_at = ctx.now_s();
    after.baseline_by = ctx.actor;
  }
  // One pass over both sorted lists.
  std::vector<TitleChange> changes;
  auto b = before.entries.begin();
  auto a = after.entries.begin();
  while (b != before.entries.end() || a != after.entries.end()) {
    if (a == after.entries.end() || (b != before.entries.end() && b->title < a->title)) {
      changes.push_back({b->title, &*b, nullptr});
      ++b;
    } else if (b == before.entries.end() || a->title < b->title) {
      changes.push_back({a->title, nullptr, &*a});
      ++a;
    } else {
      if (!(*a == *b)) changes.push_back({a->title, &*b, &*a});
      ++a;
      ++b;
    }
  }
  ESTATE_RETURN_IF_ERROR(
      Settle(ctx, asset, before, after, changes, !prior->has_value(), track_drift, nullptr));
  if (!prior->has_value() || !changes.empty() ||
      after.exceptions.size() != before.exceptions.size()) {
    ctx.batch.Put(Table::kSoftware, SoftwareKey(asset.id(), node_id), EncodeSoftwareSet(after));
  }
  MarkDrift(ctx, asset.id(), node_id, before.exceptions.size(), after.exceptions.size());
  return Outcome{static_cast<uint32_t>(after.entries.size()), !changes.empty()};
}

Result<SoftwareInventory::Outcome> SoftwareInventory::Change(
    ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id,
    const google::protobuf::RepeatedPtrField<v1::Package>& upserted,
    const google::protobuf::RepeatedPtrField<v1::PackageKey>& removed, bool track_drift) {
  auto prior = Load(ctx.batch, asset.id(), node_id);
  if (!prior.ok()) return prior.status();
  const bool first = !prior->has_value();
  HostSoftware before = first ? HostSoftware() : std::move(**prior);
  HostSoftware after = before;
  v1::SoftwareSetOps ops;
  for (const auto& p : upserted) {
    const SoftwareCatalogue::Ref ref = catalogue_->Intern(ctx.batch, p);
    const SoftwareEntry entry{ref.title, ref.rank, p.install_time()};
    const SoftwareEntry* old = before.Find(ref.title);
    if (old && *old == entry) continue;
    auto* u = ops.add_upserts();
    u->set_title(entry.title);
    u->set_version_rank(entry.version_rank);
    u->set_install_time(entry.install_time);
  }
  for (const auto& k : removed) {
    auto title = catalogue_->FindTitle(k.name(), k.architecture(), k.source());
    if (!title || !before.Find(*title)) continue;
    ops.add_removed_titles(*title);
  }
  ApplySoftwareOps(ops, &after);
  std::vector<TitleChange> changes;
  for (const auto& u : ops.upserts())
    changes.push_back({u.title(), before.Find(u.title()), nullptr});
  for (uint32_t title : ops.removed_titles())
    changes.push_back({title, before.Find(title), nullptr});
  std::sort(changes.begin(), changes.end(),
            [](const TitleChange& x, const TitleChange& y) { return x.title < y.title; });
  changes.erase(
      std::unique(changes.begin(), changes.end(),
                  [](const TitleChange& x, const TitleChange& y) { return x.title == y.title; }),
      changes.end());
  for (TitleChange& c : changes) c.after = after.Find(c.title);
  ESTATE_RETURN_IF_ERROR(Settle(ctx, asset, before, after, changes, first, track_drift, &ops));
  if (first) {
    if (after.baseline_at == 0) after.baseline_at = ctx.now_s();
    ctx.batch.Put(Table::kSoftware, SoftwareKey(asset.id(), node_id), EncodeSoftwareSet(after));
  } else if (ops.ByteSizeLong() > 0) {
    ctx.batch.Merge(Table::kSoftware, SoftwareKey(asset.id(), node_id), ops.SerializeAsString());
  }
  MarkDrift(ctx, asset.id(), node_id, before.exceptions.size(), after.exceptions.size());
  return Outcome{static_cast<uint32_t>(after.entries.size()), !changes.empty()};
}

Status SoftwareInventory::Accept(ReconcileContext& ctx, const std::string& asset_id) {
  std::vector<std::pair<std::string, HostSoftware>> sets;
  Status bad;
  ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(
      Table::kSoftware, FactsPrefix(asset_id), [&](std::string_view key, std::string_view value) {
        HostSoftware s;
        if (!DecodeSoftwareSet(value, &s)) {
          bad = Status::Corruption("unparsable software set of " + asset_id);
          return false;
        }
        sets.emplace_back(std::string(key), std::move(s));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  for (auto& [key, software] : sets) {
    const std::string node_id = key.substr(FactsPrefix(asset_id).size());
    MarkDrift(ctx, asset_id, node_id, software.exceptions.size(), 0);
    software.exceptions.clear();
    software.baseline_at = ctx.now_s();
    software.baseline_by = ctx.actor;
    ctx.batch.Put(Table::kSoftware, key, EncodeSoftwareSet(software));
  }
  return Status::Ok();
}

Status SoftwareInventory::MoveCounts(ReconcileContext& ctx, const std::string& asset_id,
                                     const std::string& from_class, const std::string& to_class) {
  if (from_class == to_class) return Status::Ok();
  Status bad;
  ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(
      Table::kSoftware, FactsPrefix(asset_id), [&](std::string_view, std::string_view value) {
        HostSoftware s;
        if (!DecodeSoftwareSet(value, &s)) {
          bad = Status::Corruption("unparsable software set of " + asset_id);
          return false;
        }
        for (const auto& e : s.entries) {
          const uint32_t version = catalogue_->VersionId(e.title, e.version_rank);
          Count(version, from_class, -1);
          Count(version, to_class, +1);
        }
        return true;
      }));
  return bad;
}

Status SoftwareInventory::ForgetCounts(ReconcileContext&, const HostSoftware& software,
                                       const std::string& asset_class) {
  for (const auto& e : software.entries) {
    Count(catalogue_->VersionId(e.title, e.version_rank), asset_class, -1);
  }
  return Status::Ok();
}

Status SoftwareInventory::AddCounts(ReconcileContext&, const HostSoftware& software,
                                    const std::string& asset_class) {
  for (const auto& e : software.entries) {
    Count(catalogue_->VersionId(e.title, e.version_rank), asset_class, +1);
  }
  return Status::Ok();
}

void SoftwareInventory::Describe(const HostSoftware& software,
                                 google::protobuf::RepeatedPtrField<v1::Package>* out) const {
  std::vector<v1::Package> packages;
  packages.reserve(software.entries.size());
  for (const auto& e : software.entries) {
    v1::Package package;
    if (catalogue_->Describe(e.title, e.version_rank, e.install_time, &package)) {
      packages.push_back(std::move(package));
    }
  }
  std::sort(packages.begin(), packages.end(), [](const v1::Package& a, const v1::Package& b) {
    return std::tie(a.name(), a.architecture(), a.source()) <
           std::tie(b.name(), b.architecture(), b.source());
  });
  out->Reserve(static_cast<int>(packages.size()));
  for (auto& p : packages) *out->Add() = std::move(p);
}

void SoftwareInventory::MarkDrift(ReconcileContext& ctx, const std::string& asset_id,
                                  const std::string& node_id, size_t before, size_t after) {
  if (before == after) return;
  if (after == 0) {
    ctx.batch.Delete(Table::kFindings, SoftwareDriftMarkerKey(asset_id, node_id));
  } else {
    ctx.batch.Put(Table::kFindings, SoftwareDriftMarkerKey(asset_id, node_id),
                  std::to_string(after));
  }
}

void SoftwareInventory::EndReport(bool kept) {
  if (kept) {
    catalogue_->Commit();
    for (const auto& [key, delta] : report_counts_) group_counts_[key] += delta;
  } else {
    catalogue_->Rollback();
  }
  report_counts_.clear();
}

void SoftwareInventory::EndGroup(WriteBatch& batch) {
  for (const auto& [key, delta] : group_counts_) {
    if (delta != 0) {
      batch.Merge(Table::kSoftwareCounts, SoftwareCountKey(key.first, key.second),
                  EncodeCounter(delta));
    }
  }
  group_counts_.clear();
}

Status SoftwareInventory::AfterFailedCommit(Store& store) {
  report_counts_.clear();
  group_counts_.clear();
  PolicyChanged();
  return catalogue_->Reload(store);
}

}  // namespace estate::collector
