#include "collector/admin/licence_compliance.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "collector/admin/money.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/reconcile/reconcile_context.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/reconcile/software_policy.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr char kLicencePrefix[] = "licence\0";

struct Host {
  std::string asset_id, hostname, user;
  uint64_t cores = 0, sockets = 0;  // physical
  std::set<size_t> eligible;        // indexes into the product's licences
};

// What compliance needs of an asset record.
struct HostInfo {
  std::string hostname, user;
  uint64_t cores = 0, sockets = 0;
  uint64_t logical = 0;
  bool facts_read = false;
};

// nullopt: no record, merged into another, retired or disposed (its
// software is no install in use).
Result<std::optional<HostInfo>> ReadHost(Store& store, const std::string& id) {
  auto asset = GetRecord<v1::Asset>(store, Table::kAssets, id);
  if (!asset.ok()) return asset.status();
  if (!asset->has_value()) return std::optional<HostInfo>();
  const v1::Asset& a = **asset;
  if (!a.merged_into().empty() || a.state() == lifecycle::kRetired ||
      a.state() == lifecycle::kDisposed) {
    return std::optional<HostInfo>();
  }
  HostInfo info;
  info.hostname = a.hostname();
  info.cores = a.cpu_cores();
  info.sockets = a.cpu_sockets();
  info.logical = a.cpu_logical();
  auto owner = a.attributes().find("owner");
  if (a.state() == lifecycle::kCheckedOut && !a.custody().holder().empty()) {
    info.user = a.custody().holder();
  } else if (owner != a.attributes().end()) {
    info.user = owner->second;
  }
  return std::optional<HostInfo>(std::move(info));
}

// A record summarised before it carried physical cores: from the agents'
// CPU facts (the largest node's), else the logical CPUs.
Status ReadCoresFromFacts(Store& store, const std::string& id, HostInfo* info) {
  info->facts_read = true;
  Status bad;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kFacts, FactsPrefix(id), [&](std::string_view key, std::string_view value) {
        if (key.empty() || key.back() != static_cast<char>(v1::HostFacts::kCpuFieldNumber)) {
          return true;
        }
        v1::HostFacts facts;
        if (!facts.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable CPU facts of " + id);
          return false;
        }
        if (facts.cpu().cores() > info->cores) {
          info->cores = facts.cpu().cores();
          info->sockets = facts.cpu().sockets();
        }
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  if (info->cores == 0) info->cores = info->logical;
  return Status::Ok();
}

struct Product {
  std::string pattern;           // lower case
  std::vector<size_t> licences;  // indexes into the call's licences
  // By asset id; allocated in id order (a stable answer), sorted once.
  std::unordered_map<std::string, Host> hosts;
};

// What one licence took.
struct Allocation {
  uint64_t used = 0;
  std::set<std::string> users;
  std::vector<std::string> hosts;
};

}  // namespace

uint64_t CoresToLicense(const v1::Licence& licence, uint64_t cores, uint64_t sockets) {
  cores = std::max<uint64_t>(cores, 1);
  uint64_t counted = cores;
  if (licence.min_cores_per_processor() > 0) {
    // Each processor counts at least the minimum, the cores split evenly.
    sockets = std::clamp<uint64_t>(sockets, 1, cores);
    const uint64_t per_socket = (cores + sockets - 1) / sockets;
    counted = sockets * std::max<uint64_t>(per_socket, licence.min_cores_per_processor());
  }
  return std::max<uint64_t>(counted, licence.min_cores_per_host());
}

namespace {

bool Assigned(const v1::Licence& l) { return l.assets_size() > 0 || l.people_size() > 0; }

bool AssignedTo(const v1::Licence& l, const Host& h) {
  for (const auto& a : l.assets()) {
    if (a == h.asset_id) return true;
  }
  for (const auto& p : l.people()) {
    if (!h.user.empty() && ToLower(p) == ToLower(h.user)) return true;
  }
  return false;
}

// What host `h` costs licence `l` given what it already holds.
uint64_t Demand(const v1::Licence& l, const Host& h, const Allocation& a) {
  const std::string& m = l.metric();
  if (m == "site") return 0;
  if (m == "per_core") return CoresToLicense(l, h.cores, h.sockets);
  if (m == "per_user" || m == "subscription") {
    return a.users.count(h.user.empty() ? "asset:" + h.asset_id : h.user) ? 0 : 1;
  }
  return 1;  // per_device, concurrent (installs bound concurrent use from above)
}

nlohmann::json HostJson(const Host& h) {
  return {{"asset_id", h.asset_id}, {"hostname", h.hostname}, {"user", h.user}};
}

}  // namespace

std::string LicenceKey(const std::string& id) {
  return std::string(kLicencePrefix, sizeof kLicencePrefix - 1) + id;
}

namespace {

template <typename View>
Result<std::vector<v1::Licence>> LoadLicencesIn(View& view) {
  std::vector<v1::Licence> out;
  Status bad;
  ESTATE_RETURN_IF_ERROR(
      view.Scan(Table::kSettings, LicenceKey(""), [&](std::string_view, std::string_view value) {
        v1::Licence l;
        if (!l.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable licence record");
          return false;
        }
        out.push_back(std::move(l));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return out;
}

}  // namespace

Result<std::vector<v1::Licence>> LoadLicences(Store& store) { return LoadLicencesIn(store); }
Result<std::vector<v1::Licence>> LoadLicences(WriteBatch& batch) { return LoadLicencesIn(batch); }

bool LicenceActive(const v1::Licence& licence, int64_t day) {
  if (auto start = DaysFromIsoDate(licence.start()); start && day < *start) return false;
  if (auto end = DaysFromIsoDate(licence.end()); end && day > *end) return false;
  return true;
}

InstallSource ScanInstalls(Store& store) {
  return [&store](const std::vector<uint32_t>& titles, const InstallVisitor& visit) -> Status {
    const std::unordered_set<uint32_t> wanted(titles.begin(), titles.end());
    Status bad;
    HostSoftware software;
    ESTATE_RETURN_IF_ERROR(
        store.Scan(Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
          if (!DecodeSoftwareSet(value, &software)) {
            bad = Status::Corruption("unparsable software set");
            return false;
          }
          const std::string_view asset_id = key.substr(0, key.find('\0'));
          for (const auto& entry : software.entries) {
            if (wanted.count(entry.title)) visit(asset_id, entry.title, entry.version_rank);
          }
          return true;
        }));
    return bad;
  };
}

InstallSource IndexedInstalls(Ingestor& ingestor, const std::string& actor) {
  return [&ingestor, actor](const std::vector<uint32_t>& titles,
                            const InstallVisitor& visit) -> Status {
    const TitleHostIndex& index = ingestor.software().title_hosts();
    std::vector<uint32_t> missing = index.Missing(titles);
    if (!missing.empty()) {
      // Filled on the writer, so that no report slips between the pass and
      // the changes recorded after it.
      auto filled = ingestor.Mutate(actor, [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
        ESTATE_RETURN_IF_ERROR(ctx.software->IndexTitles(ctx, missing));
        return nlohmann::json::object();
      });
      if (!filled.ok()) return filled.status();
    }
    index.ForEachInstall(titles, visit);
    return Status::Ok();
  };
}

Result<nlohmann::json> ComputeCompliance(Store& store, const SoftwareCatalogue& catalogue,
                                         const std::vector<v1::Licence>& licences, int64_t day,
                                         const std::string& product_filter,
                                         const InstallSource& installs) {
  // Products: the licences that share a name pattern.
  std::vector<Product> products;
  std::map<std::string, size_t> product_index;
  for (size_t i = 0; i < licences.size(); ++i) {
    const std::string pattern = ToLower(licences[i].product().pattern());
    if (!product_filter.empty() && pattern != ToLower(product_filter) &&
        ::fnmatch(pattern.c_str(), product_filter.c_str(), FNM_CASEFOLD) != 0) {
      continue;
    }
    auto [it, added] = product_index.emplace(pattern, products.size());
    if (added) products.push_back({pattern, {}, {}});
    products[it->second].licences.push_back(i);
  }

  // The catalogue, matched once: per title, the products its name falls
  // under, and per version rank the licences that version satisfies. A
  // pattern without wildcards is looked up by name, not matched against
  // every title.
  struct TitleMatch {
    size_t product;
    std::vector<std::vector<size_t>> by_rank;
  };
  std::unordered_map<uint32_t, std::vector<TitleMatch>> titles;
  std::vector<uint64_t> matched_versions(licences.size(), 0);
  std::vector<size_t> literal, glob;
  for (size_t p = 0; p < products.size(); ++p) {
    (products[p].pattern.find_first_of("*?[") == std::string::npos && !products[p].pattern.empty()
         ? literal
         : glob)
        .push_back(p);
  }
  std::unordered_map<std::string, std::vector<size_t>> literal_products;  // lower-case name
  for (size_t p : literal) literal_products[products[p].pattern].push_back(p);
  const uint32_t title_count = static_cast<uint32_t>(catalogue.title_count());
  for (uint32_t t = 1; t <= title_count && !products.empty(); ++t) {
    auto title = catalogue.TitleById(t);
    if (!title) continue;
    std::vector<size_t> under;
    if (auto it = literal_products.find(ToLower(title->name)); it != literal_products.end()) {
      under = it->second;
    }
    for (size_t p : glob) {
      if (RuleNameMatches(licences[products[p].licences.front()].product(), title->name)) {
        under.push_back(p);
      }
    }
    for (size_t p : under) {
      TitleMatch match{p, std::vector<std::vector<size_t>>(title->versions.size())};
      for (size_t rank = 0; rank < title->versions.size(); ++rank) {
        auto version = catalogue.VersionById(title->versions[rank]);
        if (!version) continue;
        for (size_t l : products[p].licences) {
          if (PackageRuleMatches(licences[l].product(), title->name, version->version,
                                 version->publisher)) {
            match.by_rank[rank].push_back(l);
            ++matched_versions[l];
          }
        }
      }
      titles[t].push_back(std::move(match));
    }
  }

  // The installs of those titles.
  if (!titles.empty()) {
    std::vector<uint32_t> wanted;
    wanted.reserve(titles.size());
    for (const auto& [t, matches] : titles) wanted.push_back(t);
    std::sort(wanted.begin(), wanted.end());
    ESTATE_RETURN_IF_ERROR(
        installs(wanted, [&](std::string_view asset_id, uint32_t title, uint32_t rank) {
          auto it = titles.find(title);
          if (it == titles.end()) return;
          for (const auto& match : it->second) {
            auto [at, added] = products[match.product].hosts.try_emplace(std::string(asset_id));
            Host& host = at->second;
            if (added) host.asset_id = at->first;
            if (rank < match.by_rank.size()) {
              for (size_t l : match.by_rank[rank]) host.eligible.insert(l);
            }
          }
        }));
  }

  // Who the hosts are (name, user, cores), from their records, each read once.
  std::unordered_map<std::string, std::optional<HostInfo>> infos;
  nlohmann::json licence_rows = nlohmann::json::object();
  nlohmann::json product_rows = nlohmann::json::array();
  for (auto& product : products) {
    bool per_core = false;
    for (size_t l : product.licences) per_core |= licences[l].metric() == "per_core";
    for (auto it = product.hosts.begin(); it != product.hosts.end();) {
      auto [info, added] = infos.try_emplace(it->first);
      if (added) {
        auto read = ReadHost(store, it->first);
        if (!read.ok()) return read.status();
        info->second = std::move(*read);
      }
      // Gone, merged away, retired or disposed: not an install in use.
      if (!info->second) {
        it = product.hosts.erase(it);
        continue;
      }
      if (per_core && info->second->cores == 0 && !info->second->facts_read) {
        ESTATE_RETURN_IF_ERROR(ReadCoresFromFacts(store, it->first, &*info->second));
      }
      Host& host = it->second;
      host.hostname = info->second->hostname;
      host.user = info->second->user;
      host.cores = info->second->cores;
      host.sockets = info->second->sockets;
      ++it;
    }
    // Valid licences, assigned ones first, then the soonest ending.
    std::vector<size_t> order;
    for (size_t l : product.licences) {
      if (LicenceActive(licences[l], day)) order.push_back(l);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const bool aa = Assigned(licences[a]), ab = Assigned(licences[b]);
      if (aa != ab) return aa;
      const std::string& ea = licences[a].end();
      const std::string& eb = licences[b].end();
      if (ea.empty() != eb.empty()) return eb.empty();
      return ea < eb;
    });
    std::map<size_t, Allocation> allocations;
    nlohmann::json unlicensed = nlohmann::json::array();
    uint64_t shortfall = 0;
    std::vector<const Host*> sorted;
    sorted.reserve(product.hosts.size());
    for (const auto& [id, host] : product.hosts) sorted.push_back(&host);
    std::sort(sorted.begin(), sorted.end(),
              [](const Host* a, const Host* b) { return a->asset_id < b->asset_id; });
    for (const Host* h : sorted) {
      const Host& host = *h;
      bool placed = false;
      bool any_rule = false;
      for (size_t l : order) {
        if (!host.eligible.count(l)) continue;
        const v1::Licence& licence = licences[l];
        if (Assigned(licence) && !AssignedTo(licence, host)) continue;
        any_rule = true;
        Allocation& a = allocations[l];
        const uint64_t demand = Demand(licence, host, a);
        if (licence.metric() != "site" && a.used + demand > licence.quantity()) continue;
        a.used += demand;
        if (licence.metric() == "per_user" || licence.metric() == "subscription") {
          a.users.insert(host.user.empty() ? "asset:" + host.asset_id : host.user);
        }
        a.hosts.push_back(host.asset_id);
        placed = true;
        break;
      }
      if (placed) continue;
      nlohmann::json j = HostJson(host);
      // Why: no valid licence's rule takes this version, or they are all used up.
      bool eligible_anywhere = false;
      for (size_t l : host.eligible) eligible_anywhere |= LicenceActive(licences[l], day);
      j["reason"] = any_rule ? "entitlement used up"
                    : eligible_anywhere
                        ? "not assigned to this host or its user"
                        : (host.eligible.empty() ? "installed version is not covered"
                                                 : "no licence valid on this day");
      unlicensed.push_back(std::move(j));
      ++shortfall;
    }

    uint64_t entitled = 0, used = 0;
    bool unlimited = false;
    nlohmann::json ids = nlohmann::json::array();
    std::set<std::string> metrics;
    for (size_t l : product.licences) {
      const v1::Licence& licence = licences[l];
      const bool active = LicenceActive(licence, day);
      const Allocation& a = allocations[l];
      ids.push_back(licence.id());
      metrics.insert(licence.metric());
      if (active) {
        if (licence.metric() == "site") {
          unlimited = true;
        } else {
          entitled += licence.quantity();
        }
        used += a.used;
      }
      nlohmann::json warnings = nlohmann::json::array();
      if (matched_versions[l] == 0) {
        warnings.push_back("product: the rule matches no software any agent reported");
      }
      const uint64_t quantity = active ? licence.quantity() : 0;
      const bool site = licence.metric() == "site";
      licence_rows[licence.id()] = {
          {"id", licence.id()},
          {"product", licence.product().pattern()},
          {"metric", licence.metric()},
          {"valid", active},
          {"entitled", quantity},
          {"unlimited", site && active},
          {"used", a.used},
          {"available", site || a.used > quantity ? 0 : quantity - a.used},
          {"status", !active             ? "not valid"
                     : site              ? "compliant"
                     : a.used < quantity ? "over-licensed"
                                         : "compliant"},
          {"hosts", a.hosts},
          {"warnings", std::move(warnings)}};
    }
    nlohmann::json covered = nlohmann::json::array();
    for (const auto& [l, a] : allocations) {
      for (const auto& h : a.hosts) covered.push_back(h);
    }
    const std::string status = shortfall > 0                   ? "under-licensed"
                               : !unlimited && entitled > used ? "over-licensed"
                                                               : "compliant";
    product_rows.push_back({{"product", product.pattern},
                            {"licences", std::move(ids)},
                            {"metrics", metrics},
                            {"installs", product.hosts.size()},
                            {"entitled", entitled},
                            {"unlimited", unlimited},
                            {"used", used},
                            {"available", unlimited || used > entitled ? 0 : entitled - used},
                            {"unlicensed_installs", shortfall},
                            {"status", status},
                            {"covered_hosts", std::move(covered)},
                            {"unlicensed_hosts", std::move(unlicensed)}});
  }
  nlohmann::json licence_list = nlohmann::json::array();
  for (auto& [id, row] : licence_rows.items()) licence_list.push_back(std::move(row));
  return nlohmann::json{{"at", IsoDateFromDays(day)},
                        {"products", std::move(product_rows)},
                        {"licences", std::move(licence_list)}};
}

}  // namespace estate::collector
