#include "collector/admin/commands/policy_rescan.h"

#include <fnmatch.h>

#include <set>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/reconcile/software_inventory.h"
#include "estate/version_compare.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"

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

}  // namespace

Result<PolicyReach> RescanSoftwarePolicy(ReconcileContext& ctx, Store& store,
                                         const std::optional<v1::SoftwareRule>& added,
                                         const std::string& removed_id,
                                         const std::string& ignored_name) {
  auto loaded = SoftwarePolicy::Load(store, ctx.options.software);
  if (!loaded.ok()) return loaded.status();
  std::optional<v1::SoftwareRule> changed = added;
  std::vector<v1::SoftwareRule> rules;
  for (const auto& r : loaded->rules()) {
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

  if (ctx.software != nullptr &&
      (!ignored_name.empty() || (changed && changed->kind() == "package"))) {
    reach.installs_matching = CountInstalls(
        *ctx.software, [&](const SoftwareCatalogue::Title& t, const SoftwareCatalogue::Version& v) {
          if (!ignored_name.empty()) return t.name == ignored_name;
          if (!Glob(changed->pattern(), t.name) || !Glob(changed->publisher(), v.publisher)) {
            return false;
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
