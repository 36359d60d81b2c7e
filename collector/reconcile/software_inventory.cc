#include "collector/reconcile/software_inventory.h"

#include <algorithm>
#include <tuple>

#include "collector/reconcile/reconcile_context.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Beyond this many entries an event lists only the first ones.
constexpr int kMaxChangesPerEvent = 50;

// On average a delta that would leave this many operands after the stored set
// writes the folded set instead (a read then decodes one set, not a long
// chain); SoftwareFoldThreshold spreads it per node. 32, not 16, since the
// writer's set cache answers most deltas without reading the operands: each
// fold writes a whole set (~7 KB), a quarter of the bytes written per delta.
constexpr size_t kFoldAfterOperands = 32;

std::string_view FindingSeverity(std::string_view verdict) {
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
  v1::Package package;
  if (!catalogue.PackageOfVersion(version, &package)) return verdict::kUnknown;
  return policy.PackageVerdict(package, asset_class);
}

std::string SoftwareDriftSeverity(uint32_t approved, uint32_t now, std::string_view verdict) {
  if (now == 0) return "low";  // removed
  if (verdict == verdict::kProhibited) return "critical";
  if (approved == 0) return verdict == verdict::kApproved ? "low" : "medium";  // added
  return "low";
}

size_t SoftwareFoldThreshold(std::string_view key) {
  return kFoldAfterOperands / 2 + std::hash<std::string_view>{}(key) % kFoldAfterOperands;
}

std::string SoftwareDriftMarkerKey(const std::string& asset_id, const std::string& node_id) {
  return FindingsKey("software_drift", asset_id + std::string(1, '\0') + node_id);
}

Result<std::unique_ptr<SoftwareInventory>> SoftwareInventory::Open(Store& store,
                                                                   size_t set_cache_bytes) {
  auto catalogue = SoftwareCatalogue::Load(store);
  if (!catalogue.ok()) return catalogue.status();
  std::unique_ptr<SoftwareInventory> inventory(new SoftwareInventory(set_cache_bytes));
  inventory->catalogue_ = std::move(*catalogue);
  ESTATE_RETURN_IF_ERROR(inventory->LoadTotals(store));
  return inventory;
}

namespace {

constexpr char kTotalsSetting[] = "software_totals";           // clean | dirty
constexpr char kDriftItemsSetting[] = "software_drift_items";  // with a clean checkpoint

}  // namespace

Status SoftwareInventory::LoadTotals(Store& store) {
  auto state = store.Get(Table::kSettings, kTotalsSetting);
  if (!state.ok()) return state.status();
  if (!state->has_value() || **state != "clean") return RebuildTotals(store);
  auto drift = store.Get(Table::kSettings, kDriftItemsSetting);
  if (!drift.ok()) return drift.status();
  std::lock_guard lock(totals_mu_);
  totals_.clear();
  drift_items_ = drift->has_value() ? static_cast<int64_t>(ParseUint(**drift).value_or(0)) : 0;
  std::vector<std::pair<uint32_t, std::string>> keys;
  std::vector<int64_t> counts;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSoftwareCounts, "", [&](std::string_view key, std::string_view value) {
        keys.emplace_back(SoftwareCountVersion(key), std::string(key.substr(4)));
        counts.push_back(DecodeCounter(value));
        return true;
      }));
  for (size_t i = 0; i < keys.size(); ++i) {
    if (counts[i] != 0) totals_[ClassKeyLocked(keys[i].first, keys[i].second)] = counts[i];
  }
  return Status::Ok();
}

Status SoftwareInventory::RebuildTotals(Store& store) {
  std::unordered_map<std::string, std::string> class_of;  // asset id -> class
  std::unordered_map<uint64_t, int64_t> totals;
  int64_t drift_items = 0;
  Status bad;
  std::lock_guard lock(totals_mu_);
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
        HostSoftware software;
        if (!DecodeSoftwareSet(value, &software)) {
          bad = Status::Corruption("unparsable software set under " + std::string(key));
          return false;
        }
        const std::string asset_id(key.substr(0, key.find('\0')));
        auto it = class_of.find(asset_id);
        if (it == class_of.end()) {
          auto asset = GetRecord<v1::Asset>(store, Table::kAssets, asset_id);
          if (!asset.ok()) {
            bad = asset.status();
            return false;
          }
          it = class_of.emplace(asset_id, asset->has_value() ? (*asset)->asset_class() : "").first;
        }
        for (const auto& e : software.entries) {
          const uint32_t version = catalogue_->VersionIdOnWriter(e.title, e.version_rank);
          if (version != 0) ++totals[ClassKeyLocked(version, it->second)];
        }
        drift_items += static_cast<int64_t>(software.exceptions.size());
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  totals_ = std::move(totals);
  drift_items_ = drift_items;
  return Status::Ok();
}

void SoftwareInventory::Checkpoint(WriteBatch& batch) {
  std::lock_guard lock(totals_mu_);
  // Every key ever counted is written, zeros too, so none keeps a stale count.
  for (const auto& [key, count] : totals_) {
    batch.Put(Table::kSoftwareCounts,
              SoftwareCountKey(static_cast<uint32_t>(key), classes_[key >> 32]),
              EncodeCounter(count));
  }
  batch.Put(Table::kSettings, kDriftItemsSetting,
            std::to_string(std::max<int64_t>(0, drift_items_)));
  batch.Put(Table::kSettings, kTotalsSetting, "clean");
}

void SoftwareInventory::MarkTotalsDirty(WriteBatch& batch) {
  batch.Put(Table::kSettings, kTotalsSetting, "dirty");
}

std::vector<SoftwareInventory::InstallCount> SoftwareInventory::InstallCounts() const {
  std::lock_guard lock(totals_mu_);
  std::vector<InstallCount> out;
  out.reserve(totals_.size());
  for (const auto& [key, count] : totals_) {
    if (count > 0) out.push_back({static_cast<uint32_t>(key), classes_[key >> 32], count});
  }
  return out;
}

int64_t SoftwareInventory::DriftItems() const {
  std::lock_guard lock(totals_mu_);
  return drift_items_;
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

Result<std::optional<HostSoftware>> SoftwareInventory::Load(WriteBatch& batch,
                                                            const std::string& asset_id,
                                                            const std::string& node_id) {
  auto parts = batch.GetParts(Table::kSoftware, SoftwareKey(asset_id, node_id));
  if (!parts.ok()) return parts.status();
  if (parts->empty()) return std::optional<HostSoftware>();
  HostSoftware software;
  if (!FoldSoftwareParts(parts->base, parts->operands, &software)) {
    return Status::Corruption("unparsable software set of " + asset_id + " node " + node_id);
  }
  return std::optional<HostSoftware>(std::move(software));
}

Result<std::unique_ptr<PreparedSoftwareSet>> SoftwareInventory::TakeSet(WriteBatch& batch,
                                                                        const std::string& key) {
  if (auto cached = set_cache_.Take(key)) return cached;
  auto parts = batch.GetParts(Table::kSoftware, key);
  if (!parts.ok()) return parts.status();
  auto set = std::make_unique<PreparedSoftwareSet>();
  if (!set->Prepare(std::move(parts->base), std::move(parts->operands))) {
    const size_t nul = key.find('\0');
    return Status::Corruption("unparsable software set of " + key.substr(0, nul) + " node " +
                              key.substr(nul + 1));
  }
  return set;
}

Status SoftwareInventory::Remember(const std::string& key, std::string base) {
  auto set = std::make_unique<PreparedSoftwareSet>();
  if (!set->Prepare(std::move(base), {})) {
    return Status::Corruption("a software set just encoded does not decode: " + key);
  }
  Remember(key, std::move(set));
  return Status::Ok();
}

void SoftwareInventory::Remember(const std::string& key, std::unique_ptr<PreparedSoftwareSet> set) {
  set_cache_.Put(key, std::move(set));
  report_cached_.push_back(key);
}

uint64_t SoftwareInventory::ClassKey(uint32_t version, const std::string& asset_class) {
  return ClassBits(asset_class) | version;
}

uint64_t SoftwareInventory::ClassBits(const std::string& asset_class) {
  if (auto it = class_index_.find(asset_class); it != class_index_.end()) {
    return static_cast<uint64_t>(it->second) << 32;
  }
  std::lock_guard lock(totals_mu_);
  return ClassKeyLocked(0, asset_class);
}

uint64_t SoftwareInventory::ClassKeyLocked(uint32_t version, const std::string& asset_class) {
  auto it = class_index_.find(asset_class);
  if (it == class_index_.end()) {
    it = class_index_.emplace(asset_class, static_cast<uint32_t>(classes_.size())).first;
    classes_.push_back(asset_class);
  }
  return (static_cast<uint64_t>(it->second) << 32) | version;
}

void SoftwareInventory::Count(uint32_t version, uint64_t class_bits, int64_t delta) {
  if (version != 0) report_counts_[class_bits | version] += delta;
}

std::string_view SoftwareInventory::Verdict(const SoftwarePolicy& policy, uint32_t version,
                                            const std::string& asset_class) {
  return VerdictOf(policy, ClassKey(version, asset_class), asset_class);
}

namespace {

// The verdicts as the cache keeps them: 0 is "not decided yet".
constexpr std::string_view kVerdictByCode[] = {"", verdict::kApproved, verdict::kUnknown,
                                               verdict::kUnapproved, verdict::kProhibited};

uint8_t VerdictCode(std::string_view verdict) {
  for (uint8_t code = 1; code < std::size(kVerdictByCode); ++code) {
    if (kVerdictByCode[code] == verdict) return code;
  }
  return 2;  // unknown
}

}  // namespace

std::string_view SoftwareInventory::VerdictOf(const SoftwarePolicy& policy, uint64_t key,
                                              const std::string& asset_class) {
  const auto version = static_cast<uint32_t>(key);
  const auto class_index = static_cast<uint32_t>(key >> 32);
  {
    std::lock_guard lock(verdict_mu_);
    if (class_index < verdicts_.size() && version < verdicts_[class_index].size()) {
      if (const uint8_t code = verdicts_[class_index][version]) return kVerdictByCode[code];
    }
  }
  const std::string_view verdict = VersionVerdict(policy, *catalogue_, version, asset_class);
  std::lock_guard lock(verdict_mu_);
  if (class_index >= verdicts_.size()) verdicts_.resize(class_index + 1);
  std::vector<uint8_t>& codes = verdicts_[class_index];
  // Version ids are dense: room for those the catalogue has now, and more.
  if (version >= codes.size()) codes.resize(std::max<size_t>(version + 1, codes.size() * 2));
  codes[version] = VerdictCode(verdict);
  return verdict;
}

void SoftwareInventory::PolicyChanged() {
  std::lock_guard lock(verdict_mu_);
  verdicts_.clear();
}

Status SoftwareInventory::Settle(ReconcileContext& ctx, const v1::Asset& asset,
                                 const std::vector<TitleChange>& changes, bool first_report,
                                 bool track_drift, std::vector<SoftwareException>* exceptions,
                                 v1::SoftwareSetOps* ops) {
  const std::string& asset_class = asset.asset_class();
  // The class's index once per report, not a string lookup per package.
  const uint64_t class_bits = ClassBits(asset_class);
  struct DriftItem {
    uint32_t title, approved, now;
    std::string severity;
  };
  std::vector<DriftItem> drift;
  struct Finding {
    uint32_t title, version;
    std::string_view verdict;
    int rank;  // of its severity, to sort by
  };
  std::vector<Finding> findings;
  const bool flag_unknown = ctx.policy.flags_unknown_software();

  for (const TitleChange& c : changes) {
    const uint32_t was =
        c.before ? catalogue_->VersionIdOnWriter(c.title, c.before->version_rank) : 0;
    const uint32_t is = c.after ? catalogue_->VersionIdOnWriter(c.title, c.after->version_rank) : 0;
    if (was != is) {
      Count(was, class_bits, -1);
      Count(is, class_bits, +1);
    }
    const std::string_view verdict =
        is ? VerdictOf(ctx.policy, class_bits | is, asset_class) : verdict::kApproved;
    if (is && verdict != verdict::kApproved && (verdict != verdict::kUnknown || flag_unknown)) {
      const std::string_view previous =
          was ? VerdictOf(ctx.policy, class_bits | was, asset_class) : verdict::kApproved;
      // `estatectl ignore software NAME` silences the finding, not the drift.
      const bool silenced = previous != verdict && !ctx.policy.ignored().empty() &&
                            ctx.policy.Ignored(catalogue_->TitleName(c.title));
      if (previous != verdict && !silenced)
        findings.push_back({c.title, is, verdict, SeverityRank(FindingSeverity(verdict))});
    }
    if (first_report || was == is) continue;
    // Only the origin changed (an agent that now reports origins, apt lists
    // that appeared or went): no drift. The policy judges the new origin: a
    // version whose verdict changes was raised as shadow software above.
    if (catalogue_->SameVersionText(was, is)) continue;
    const SoftwareException* open = nullptr;
    auto at = std::lower_bound(exceptions->begin(), exceptions->end(), c.title,
                               [](const SoftwareException& e, uint32_t t) { return e.title < t; });
    if (at != exceptions->end() && at->title == c.title) open = &*at;
    // Without drift tracking only an open difference (a prohibition flagged
    // by FlagProhibited) is followed, so that removing the package closes it.
    if (!track_drift && !open) continue;
    const uint32_t approved = open ? open->version : was;
    if (is == approved) {
      // Back to the approved state: the difference closes.
      if (open) {
        if (ops) ops->add_exceptions_cleared(c.title);
        exceptions->erase(at);
      }
      continue;
    }
    const SoftwareException x{c.title, approved, open ? open->since : ctx.now_s()};
    if (ops) {
      auto* set = ops->add_exceptions_set();
      set->set_title(x.title);
      set->set_version(x.version);
      set->set_since(x.since);
    }
    if (open) {
      *at = x;
    } else {
      exceptions->insert(at, x);
    }
    drift.push_back({c.title, approved, is, SoftwareDriftSeverity(approved, is, verdict)});
  }

  // Events change nothing in the asset record: no snapshot in its history.
  constexpr bool kNoSnapshot = false;
  auto raise_drift = [&](const std::vector<const DriftItem*>& items, const std::string& summary) {
    v1::Event event;
    event.set_kind("drift");
    event.set_source(ctx.actor);
    std::string severity = "info";
    for (const DriftItem* item : items) {
      if (SeverityRank(item->severity) > SeverityRank(severity)) severity = item->severity;
      if (event.changes_size() >= kMaxChangesPerEvent) continue;
      auto* change = event.add_changes();
      change->set_field("software." + catalogue_->TitleName(item->title));
      change->set_before(catalogue_->VersionText(item->approved));
      change->set_after(catalogue_->VersionText(item->now));
    }
    event.set_severity(severity);
    event.set_summary(summary);
    ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event), kNoSnapshot);
  };
  auto describe = [&](const DriftItem& item) {
    const std::string fact = "software." + catalogue_->TitleName(item.title);
    if (item.approved == 0) return fact + " added: " + catalogue_->VersionText(item.now);
    if (item.now == 0)
      return fact + " removed (was " + catalogue_->VersionText(item.approved) + ")";
    return fact + " changed: " + catalogue_->VersionText(item.approved) + " -> " +
           catalogue_->VersionText(item.now);
  };
  // Important changes one event each; routine ones (upgrades, removals,
  // approved installs) together in one event per report.
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
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding& a, const Finding& b) { return a.rank > b.rank; });
    std::map<std::string_view, int> by_verdict;
    v1::Event event;
    event.set_kind("shadow_software");
    event.set_source(ctx.actor);
    event.set_severity(std::string(FindingSeverity(findings.front().verdict)));
    for (const Finding& f : findings) {
      by_verdict[f.verdict]++;
      if (event.changes_size() >= kMaxChangesPerEvent) continue;
      auto* change = event.add_changes();
      change->set_field("package " + catalogue_->TitleName(f.title));
      change->set_after(catalogue_->VersionText(f.version) + " (" + std::string(f.verdict) + ")");
    }
    std::string summary;
    for (const auto& [verdict, count] : by_verdict) {
      summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " + std::string(verdict);
    }
    event.set_summary("software not approved on " + asset.hostname() + ": " + summary);
    ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event), kNoSnapshot);
  }
  // Without software drift tracking, the changes still go into the history.
  if (!first_report && !track_drift && !changes.empty()) {
    v1::AssetEvent entry;
    entry.set_kind("software");
    entry.set_source(ctx.actor);
    entry.set_summary(std::to_string(changes.size()) + " packages changed");
    for (const TitleChange& c : changes) {
      if (entry.changes_size() >= kMaxChangesPerEvent) break;
      auto* change = entry.add_changes();
      change->set_field("software." + catalogue_->TitleName(c.title));
      if (c.before) {
        change->set_before(catalogue_->VersionText(
            catalogue_->VersionIdOnWriter(c.title, c.before->version_rank)));
      }
      if (c.after) {
        change->set_after(
            catalogue_->VersionText(catalogue_->VersionIdOnWriter(c.title, c.after->version_rank)));
      }
    }
    ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry), kNoSnapshot);
  }
  return Status::Ok();
}

Result<SoftwareInventory::Outcome> SoftwareInventory::Replace(
    ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id,
    const google::protobuf::RepeatedPtrField<v1::Package>& packages, bool track_drift) {
  const std::string key = SoftwareKey(asset.id(), node_id);
  std::optional<HostSoftware> prior;
  {
    auto stored = TakeSet(ctx.batch, key);
    if (!stored.ok()) return stored.status();
    if (!(*stored)->empty()) {
      prior.emplace();
      if (!(*stored)->Fold(&*prior)) {
        return Status::Corruption("unparsable software set of " + asset.id() + " node " + node_id);
      }
      // Unchanged unless written below.
      Remember(key, std::move(*stored));
    }
  }
  std::vector<SoftwareEntry> entries;
  entries.reserve(static_cast<size_t>(packages.size()));
  for (const auto& p : packages) {
    const SoftwareCatalogue::Ref ref = catalogue_->Intern(ctx.batch, p);
    entries.push_back({ref.title, ref.rank, p.install_time()});
  }
  HostSoftware after;
  after.entries = SortedUnique(std::move(entries));
  const HostSoftware empty;
  const HostSoftware& before = prior.has_value() ? *prior : empty;
  if (prior.has_value()) {
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
      changes.push_back({b->title, *b, std::nullopt});
      ++b;
    } else if (b == before.entries.end() || a->title < b->title) {
      changes.push_back({a->title, std::nullopt, *a});
      ++a;
    } else {
      if (!(*a == *b)) changes.push_back({a->title, *b, *a});
      ++a;
      ++b;
    }
  }
  ESTATE_RETURN_IF_ERROR(
      Settle(ctx, asset, changes, !prior.has_value(), track_drift, &after.exceptions, nullptr));
  NoteIndexed(key, changes);
  if (!prior.has_value() || !changes.empty() || after.exceptions != before.exceptions) {
    std::string written = EncodeSoftwareSet(after);
    ctx.batch.Put(Table::kSoftware, key, written);
    ESTATE_RETURN_IF_ERROR(Remember(key, std::move(written)));
  }
  MarkDrift(ctx, asset.id(), node_id, before.exceptions.size(), after.exceptions.size());
  return Outcome{static_cast<uint32_t>(after.entries.size()), !changes.empty()};
}

Result<SoftwareInventory::Outcome> SoftwareInventory::Change(
    ReconcileContext& ctx, const v1::Asset& asset, const std::string& node_id,
    const google::protobuf::RepeatedPtrField<v1::Package>& upserted,
    const google::protobuf::RepeatedPtrField<v1::PackageKey>& removed, bool track_drift) {
  // The titles this report names; only they are looked up in the stored set.
  std::vector<SoftwareEntry> upserts;
  std::vector<uint32_t> removals, titles;
  for (const auto& p : upserted) {
    const SoftwareCatalogue::Ref ref = catalogue_->Intern(ctx.batch, p);
    upserts.push_back({ref.title, ref.rank, p.install_time()});
    titles.push_back(ref.title);
  }
  for (const auto& k : removed) {
    if (auto title = catalogue_->FindTitle(k.name(), k.architecture(), k.source())) {
      removals.push_back(*title);
      titles.push_back(*title);
    }
  }
  const std::string key = SoftwareKey(asset.id(), node_id);
  auto stored = TakeSet(ctx.batch, key);
  if (!stored.ok()) return stored.status();
  std::unique_ptr<PreparedSoftwareSet> set = std::move(*stored);
  SoftwarePeek before;
  if (!set->Lookup(std::move(titles), &before)) {
    return Status::Corruption("unparsable software set of " + asset.id() + " node " + node_id);
  }
  const bool first = !before.exists;
  v1::SoftwareSetOps ops;
  std::vector<TitleChange> changes;
  auto note = [&](uint32_t title, std::optional<SoftwareEntry> after) {
    for (auto& c : changes) {
      if (c.title == title) {  // named twice in one report: the last one wins
        c.after = after;
        return;
      }
    }
    const SoftwareEntry* old = before.Find(title);
    changes.push_back({title, old ? std::optional<SoftwareEntry>(*old) : std::nullopt, after});
  };
  for (const SoftwareEntry& entry : upserts) {
    const SoftwareEntry* old = before.Find(entry.title);
    if (old && *old == entry) continue;
    auto* u = ops.add_upserts();
    u->set_title(entry.title);
    u->set_version_rank(entry.version_rank);
    u->set_install_time(entry.install_time);
    note(entry.title, entry);
  }
  for (uint32_t title : removals) {
    if (!before.Find(title)) continue;
    ops.add_removed_titles(title);
    note(title, std::nullopt);
  }
  std::sort(changes.begin(), changes.end(),
            [](const TitleChange& x, const TitleChange& y) { return x.title < y.title; });
  int64_t count = static_cast<int64_t>(before.count);
  for (const auto& c : changes) count += (c.after ? 1 : 0) - (c.before ? 1 : 0);
  const size_t drifting_before = before.exceptions.size();
  std::vector<SoftwareException> exceptions = std::move(before.exceptions);
  ESTATE_RETURN_IF_ERROR(Settle(ctx, asset, changes, first, track_drift, &exceptions, &ops));
  NoteIndexed(key, changes);
  MarkDrift(ctx, asset.id(), node_id, drifting_before, exceptions.size());
  const Outcome outcome{static_cast<uint32_t>(count), !changes.empty()};
  if (first) {
    HostSoftware software;
    ApplySoftwareOps(ops, &software);
    software.baseline_at = ctx.now_s();
    software.baseline_by = ctx.actor;
    std::string written = EncodeSoftwareSet(software);
    ctx.batch.Put(Table::kSoftware, key, written);
    ESTATE_RETURN_IF_ERROR(Remember(key, std::move(written)));
  } else if (ops.ByteSizeLong() == 0) {
    Remember(key, std::move(set));
  } else if (set->operand_count() + 1 < SoftwareFoldThreshold(key)) {
    ctx.batch.Merge(Table::kSoftware, key, EncodeSoftwareOps(ops));
    set->Append(ops, static_cast<size_t>(count), std::move(exceptions));
    Remember(key, std::move(set));
  } else {
    // Every read of the set decodes each operand after it, and compaction
    // folds them only when the set and its operands meet in one compaction:
    // a host that reports often would make every delta slower than the last.
    HostSoftware software;
    if (!set->Fold(&software)) {
      return Status::Corruption("unparsable software set of " + asset.id() + " node " + node_id);
    }
    ApplySoftwareOps(ops, &software);
    std::string written = EncodeSoftwareSet(software);
    ctx.batch.Put(Table::kSoftware, key, written);
    ESTATE_RETURN_IF_ERROR(Remember(key, std::move(written)));
  }
  return outcome;
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
    std::string written = EncodeSoftwareSet(software);
    ctx.batch.Put(Table::kSoftware, key, written);
    ESTATE_RETURN_IF_ERROR(Remember(key, std::move(written)));
  }
  return Status::Ok();
}

Status SoftwareInventory::MoveCounts(ReconcileContext& ctx, const std::string& asset_id,
                                     const std::string& from_class, const std::string& to_class) {
  if (from_class == to_class) return Status::Ok();
  const uint64_t from_bits = ClassBits(from_class), to_bits = ClassBits(to_class);
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
          Count(version, from_bits, -1);
          Count(version, to_bits, +1);
        }
        return true;
      }));
  return bad;
}

Status SoftwareInventory::ForgetCounts(ReconcileContext&, const HostSoftware& software,
                                       const std::string& asset_class) {
  const uint64_t class_bits = ClassBits(asset_class);
  for (const auto& e : software.entries) {
    Count(catalogue_->VersionId(e.title, e.version_rank), class_bits, -1);
  }
  return Status::Ok();
}

Status SoftwareInventory::AddCounts(ReconcileContext&, const HostSoftware& software,
                                    const std::string& asset_class) {
  const uint64_t class_bits = ClassBits(asset_class);
  for (const auto& e : software.entries) {
    Count(catalogue_->VersionId(e.title, e.version_rank), class_bits, +1);
  }
  return Status::Ok();
}

Status SoftwareInventory::FlagProhibited(ReconcileContext& ctx, const std::string& asset_id,
                                         const std::string& node_id,
                                         const std::vector<uint32_t>& titles, size_t* flagged) {
  auto stored = Load(ctx.batch, asset_id, node_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::Ok();
  const HostSoftware& software = **stored;
  v1::SoftwareSetOps ops;
  size_t added = 0;
  for (uint32_t title : titles) {
    if (software.Find(title) == nullptr) continue;
    const bool open = std::any_of(software.exceptions.begin(), software.exceptions.end(),
                                  [&](const SoftwareException& e) { return e.title == title; });
    if (open) continue;  // already a difference: drift shows it with the new verdict
    auto* x = ops.add_exceptions_set();
    x->set_title(title);
    x->set_version(0);  // a prohibited package is no part of an approved state
    x->set_since(ctx.now_s());
    ++added;
  }
  if (added == 0) return Status::Ok();
  const std::string key = SoftwareKey(asset_id, node_id);
  ctx.batch.Merge(Table::kSoftware, key, EncodeSoftwareOps(ops));
  set_cache_.Erase(key);
  MarkDrift(ctx, asset_id, node_id, software.exceptions.size(), software.exceptions.size() + added);
  if (flagged) *flagged += added;
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
  report_drift_items_ += static_cast<int64_t>(after) - static_cast<int64_t>(before);
  // Written when the node starts or stops drifting, not at every new item.
  if ((before == 0) == (after == 0)) return;
  if (after == 0) {
    ctx.batch.Delete(Table::kFindings, SoftwareDriftMarkerKey(asset_id, node_id));
  } else {
    ctx.batch.Put(Table::kFindings, SoftwareDriftMarkerKey(asset_id, node_id), "1");
  }
}

void SoftwareInventory::EndReport(bool kept) {
  // The batch forgot what the report wrote: so must the set cache.
  if (!kept) {
    for (const auto& key : report_cached_) set_cache_.Erase(key);
  }
  report_cached_.clear();
  if (kept) {
    catalogue_->Commit();
    for (const auto& [key, delta] : report_counts_) group_.counts[key] += delta;
    group_.drift_items += report_drift_items_;
    for (auto& op : report_index_ops_) group_.index_ops.push_back(std::move(op));
  } else {
    catalogue_->Rollback();
  }
  report_counts_.clear();
  report_drift_items_ = 0;
  report_index_ops_.clear();
}

SoftwareInventory::TotalsDelta SoftwareInventory::EndGroup() {
  TotalsDelta out = std::move(group_);
  group_ = TotalsDelta();
  return out;
}

void SoftwareInventory::ApplyCommitted(const TotalsDelta& delta) {
  {
    std::lock_guard lock(totals_mu_);
    for (const auto& [key, change] : delta.counts) {
      if (change != 0) totals_[key] += change;
    }
    drift_items_ += delta.drift_items;
  }
  title_hosts_.Apply(delta.index_ops);
}

Status SoftwareInventory::AfterFailedCommit(Store& store) {
  report_counts_.clear();
  report_drift_items_ = 0;
  group_ = TotalsDelta();
  report_cached_.clear();
  set_cache_.Clear();
  // The index took committed groups only, but titles ids may change with the
  // catalogue's reload: it is filled again when next asked.
  report_index_ops_.clear();
  indexed_.clear();
  title_hosts_.Clear();
  PolicyChanged();
  // The totals only ever took committed groups; the catalogue took more.
  return catalogue_->Reload(store);
}

void SoftwareInventory::NoteIndexed(const std::string& key,
                                    const std::vector<TitleChange>& changes) {
  if (indexed_.empty()) return;
  for (const TitleChange& c : changes) {
    if (!indexed_.count(c.title)) continue;
    TitleHostOp op;
    op.kind = c.after ? TitleHostOp::Kind::kSet : TitleHostOp::Kind::kErase;
    op.title = c.title;
    op.rank = c.after ? c.after->version_rank : 0;
    op.key = key;
    report_index_ops_.push_back(std::move(op));
  }
}

Status SoftwareInventory::IndexTitles(ReconcileContext& ctx, const std::vector<uint32_t>& titles) {
  std::vector<uint32_t> sorted = titles;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.empty()) return Status::Ok();
  std::vector<TitleHostOp> fills(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    fills[i].kind = TitleHostOp::Kind::kFill;
    fills[i].title = sorted[i];
  }
  Status bad;
  HostSoftware software;
  ESTATE_RETURN_IF_ERROR(
      ctx.batch.Scan(Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
        if (!DecodeSoftwareSet(value, &software)) {
          bad = Status::Corruption("unparsable software set under " + std::string(key));
          return false;
        }
        // Both lists sorted by title: one merge pass.
        auto e = software.entries.begin();
        for (size_t i = 0; i < sorted.size() && e != software.entries.end(); ++i) {
          e = std::lower_bound(e, software.entries.end(), sorted[i],
                               [](const SoftwareEntry& x, uint32_t t) { return x.title < t; });
          if (e != software.entries.end() && e->title == sorted[i]) {
            fills[i].installs.emplace_back(std::string(key), e->version_rank);
          }
        }
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  for (auto& fill : fills) {
    indexed_.insert(fill.title);
    report_index_ops_.push_back(std::move(fill));
  }
  return Status::Ok();
}

void SoftwareInventory::NoteMovedAsset(const std::string& from_asset, const std::string& to_asset) {
  TitleHostOp op;
  op.kind = TitleHostOp::Kind::kMoveAsset;
  op.key = from_asset;
  op.to = to_asset;
  report_index_ops_.push_back(std::move(op));
}

void SoftwareInventory::NoteMovedSet(const std::string& from_key, const std::string& to_key) {
  TitleHostOp op;
  op.kind = TitleHostOp::Kind::kMoveKey;
  op.key = from_key;
  op.to = to_key;
  report_index_ops_.push_back(std::move(op));
}

void SoftwareInventory::NoteDroppedSet(const std::string& key) {
  TitleHostOp op;
  op.kind = TitleHostOp::Kind::kDropKey;
  op.key = key;
  report_index_ops_.push_back(std::move(op));
}

}  // namespace estate::collector
