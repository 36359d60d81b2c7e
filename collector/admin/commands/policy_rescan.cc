#include "collector/admin/commands/policy_rescan.h"

#include <fnmatch.h>

#include <set>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"
#include "estate/version_compare.h"

namespace estate::collector {
namespace {

bool Glob(const std::string& pattern, const std::string& value) {
  return pattern.empty() || ::fnmatch(pattern.c_str(), value.c_str(), FNM_CASEFOLD) == 0;
}

// Installs of package versions `matches` accepts, from the install totals.
uint64_t CountInstalls(const SoftwareInventory& software,
                       const std::function<bool(const SoftwareCatalogue::Title&,
                                                const SoftwareCatalogue::Version&)>& matches) {
  uint64_t total = 0;
  const SoftwareCatalogue& catalogue = software.catalogue();
  for (const auto& c : software.InstallCounts()) {
    auto version = catalogue.VersionById(c.version);
    if (!version) continue;
    auto title = catalogue.TitleById(version->title);
    if (title && matches(*title, *version)) total += static_cast<uint64_t>(c.count);
  }
  return total;
}

// Hosts whose listening services the change may reach: those with findings,
// or every host with facts when unknown services are not findings anyway.
Result<std::set<std::pair<std::string, std::string>>> ServiceHosts(Store& store, bool every_host) {
  std::set<std::pair<std::string, std::string>> hosts;  // (asset, node)
  const std::string prefix = FindingsPrefix("services");
  std::set<std::string> assets;
  if (!every_host) {
    ESTATE_RETURN_IF_ERROR(
        store.Scan(Table::kFindings, prefix, [&](std::string_view key, std::string_view) {
          assets.emplace(key.substr(prefix.size()));
          return true;
        }));
  }
  // Listening sockets are section 17 of a node's facts: "<asset>\0<node>\0\x11".
  auto collect = [&](std::string_view scan_prefix) -> Status {
    return store.Scan(Table::kFacts, scan_prefix, [&](std::string_view key, std::string_view) {
      if (key.empty() || static_cast<unsigned char>(key.back()) !=
                             static_cast<unsigned char>(v1::HostFacts::kListeningFieldNumber)) {
        return true;
      }
      const size_t first = key.find('\0');
      const size_t second = key.find('\0', first + 1);
      if (first == std::string_view::npos || second == std::string_view::npos) return true;
      hosts.emplace(std::string(key.substr(0, first)),
                    std::string(key.substr(first + 1, second - first - 1)));
      return true;
    });
  };
  if (every_host) {
    ESTATE_RETURN_IF_ERROR(collect(""));
  } else {
    for (const auto& asset : assets) ESTATE_RETURN_IF_ERROR(collect(FactsPrefix(asset)));
  }
  return hosts;
}

// Versions installed somewhere (with the asset classes they are installed
// in) that `after` prohibits and `before` did not.
std::map<uint32_t, std::set<std::string>> NewlyProhibited(const SoftwareInventory& software,
                                                          const SoftwarePolicy& before,
                                                          const SoftwarePolicy& after) {
  std::map<uint32_t, std::set<std::string>> out;
  const SoftwareCatalogue& catalogue = software.catalogue();
  for (const auto& c : software.InstallCounts()) {
    if (VersionVerdict(after, catalogue, c.version, c.asset_class) != verdict::kProhibited)
      continue;
    if (VersionVerdict(before, catalogue, c.version, c.asset_class) == verdict::kProhibited) {
      continue;
    }
    out[c.version].insert(c.asset_class);
  }
  return out;
}

// Opens a critical software difference on every host with a version of `versions`.
Status FlagHosts(ReconcileContext& ctx, const std::map<uint32_t, std::set<std::string>>& versions,
                 PolicyReach* reach) {
  const SoftwareCatalogue& catalogue = ctx.software->catalogue();
  for (const auto& [version, classes] : versions) {
    reach->newly_prohibited.push_back(catalogue.TitleName(catalogue.VersionById(version)->title) +
                                      " " + catalogue.VersionText(version));
  }
  // (asset, node) -> the installed versions of `versions`; classes checked after.
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<uint32_t, uint32_t>>> hits;
  ESTATE_RETURN_IF_ERROR(
      ctx.batch.Scan(Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
        HostSoftware host;
        if (!DecodeSoftwareSet(value, &host)) return true;
        for (const auto& e : host.entries) {
          const uint32_t version = catalogue.VersionId(e.title, e.version_rank);
          if (!versions.count(version)) continue;
          const size_t nul = key.find('\0');
          hits[{std::string(key.substr(0, nul)), std::string(key.substr(nul + 1))}].push_back(
              {e.title, version});
        }
        return true;
      }));
  size_t flagged = 0;
  for (const auto& [host, found] : hits) {
    auto asset = LoadAsset(ctx.batch, host.first);
    if (!asset.ok()) return asset.status();
    if (!asset->has_value()) continue;
    std::vector<uint32_t> titles;
    for (const auto& [title, version] : found) {
      if (!versions.at(version).count((*asset)->asset_class())) continue;
      titles.push_back(title);
      reach->prohibited_hosts[host.first].push_back(catalogue.TitleName(title) + " " +
                                                    catalogue.VersionText(version));
    }
    if (!titles.empty()) {
      ESTATE_RETURN_IF_ERROR(
          ctx.software->FlagProhibited(ctx, host.first, host.second, titles, &flagged));
    }
  }
  return Status::Ok();
}

}  // namespace

v1::Event PolicyChangedEvent(const std::string& summary, const PolicyReach& reach,
                             const std::string& actor) {
  v1::Event event;
  event.set_kind("policy_changed");
  event.set_source(actor);
  if (reach.prohibited_hosts.empty()) {
    event.set_severity("info");
    event.set_summary(summary);
    return event;
  }
  event.set_severity("critical");
  std::string what;
  for (size_t i = 0; i < reach.newly_prohibited.size() && i < 5; ++i) {
    what += (i ? ", " : "") + reach.newly_prohibited[i];
  }
  if (reach.newly_prohibited.size() > 5) {
    what += " and " + std::to_string(reach.newly_prohibited.size() - 5) + " more";
  }
  event.set_summary(summary + ": prohibits software installed on " +
                    std::to_string(reach.prohibited_hosts.size()) + " hosts (" + what + ")");
  constexpr size_t kMaxHostsListed = 50;
  for (const auto& [asset, packages] : reach.prohibited_hosts) {
    if (static_cast<size_t>(event.changes_size()) >= kMaxHostsListed) break;
    auto* change = event.add_changes();
    change->set_field(asset);
    std::string list;
    for (const auto& p : packages) list += (list.empty() ? "" : ", ") + p;
    change->set_after(list + " (prohibited)");
  }
  return event;
}

Result<PolicyReach> RescanSoftwarePolicy(ReconcileContext& ctx, Store& store,
                                         const std::optional<v1::SoftwareRule>& added,
                                         const std::string& removed_id,
                                         const std::string& ignored_name) {
  auto loaded = SoftwarePolicy::Load(store, ctx.options.software);
  if (!loaded.ok()) return loaded.status();
  std::optional<v1::SoftwareRule> changed = added;
  std::vector<v1::SoftwareRule> rules;
  for (const auto& r : loaded->rules()) {
    if (r.id() == kDistributionRuleId) continue;  // the constructor below adds it again
    if (r.id() != removed_id) {
      rules.push_back(r);
    } else {
      changed = r;
    }
  }
  if (added) rules.push_back(*added);
  std::set<std::string> ignored = loaded->ignored();
  if (!ignored_name.empty()) ignored.insert(ignored_name);
  const SoftwarePolicy policy(std::move(rules), std::move(ignored), ctx.options.software);
  PolicyReach reach;

  if (ctx.software != nullptr) {
    const auto prohibited = NewlyProhibited(*ctx.software, *loaded, policy);
    if (!prohibited.empty()) ESTATE_RETURN_IF_ERROR(FlagHosts(ctx, prohibited, &reach));
  }

  if (ctx.software != nullptr &&
      (!ignored_name.empty() || (changed && changed->kind() == "package"))) {
    reach.installs_matching = CountInstalls(
        *ctx.software, [&](const SoftwareCatalogue::Title& t, const SoftwareCatalogue::Version& v) {
          if (!ignored_name.empty()) return t.name == ignored_name;
          if (!Glob(changed->pattern(), t.name) || !Glob(changed->publisher(), v.publisher)) {
            return false;
          }
          if (!changed->origin().empty() || !changed->suite().empty()) {
            v1::Package package;
            package.set_distribution(v.distribution);
            for (const auto& o : v.origins) package.add_origins(o);
            if (!OriginMatches(*changed, package)) return false;
          }
          if (!changed->min_version().empty() &&
              CompareVersions(v.version, changed->min_version()) < 0) {
            return false;
          }
          return changed->max_version().empty() ||
                 CompareVersions(v.version, changed->max_version()) <= 0;
        });
  }

  if (!ignored_name.empty() || (changed && changed->kind() == "service")) {
    const bool may_flag = changed && changed->verdict() != verdict::kApproved && added;
    auto hosts = ServiceHosts(store, may_flag && !ctx.options.software.flag_unknown_services);
    if (!hosts.ok()) return hosts.status();
    ReconcileContext rescan{ctx.batch,      ctx.events, ctx.options, policy,
                            ctx.now_micros, ctx.actor,  ctx.software};
    std::string last_asset;
    for (const auto& [asset_id, node_id] : *hosts) {
      if (asset_id == last_asset) continue;  // one agent's services per asset
      last_asset = asset_id;
      auto section = ctx.batch.Get(
          Table::kFacts, FactsSectionKey(asset_id, node_id, v1::HostFacts::kListeningFieldNumber));
      if (!section.ok()) return section.status();
      v1::HostFacts facts;
      if (!section->has_value() || !facts.ParseFromString(**section)) continue;
      auto asset = LoadAsset(ctx.batch, asset_id);
      if (!asset.ok()) return asset.status();
      if (!asset->has_value()) continue;
      ESTATE_RETURN_IF_ERROR(RefreshServiceFindings(rescan, **asset, facts.listening()));
      ++reach.assets_rechecked;
    }
  }
  return reach;
}

}  // namespace estate::collector
