#include "collector/admin/licence_compliance.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
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
  // (host, licence its installed version satisfies, or kNoLicence): one per
  // install and licence, grouped by host once gathered.
  std::vector<std::pair<uint32_t, uint32_t>> installs;
};

// What one licence took: hosts and users as the call's indexes.
struct Allocation {
  uint64_t used = 0;
  std::unordered_set<uint32_t> users;
  std::vector<uint32_t> hosts;
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
    uint32_t set = 0;
    ESTATE_RETURN_IF_ERROR(
        store.Scan(Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
          if (!DecodeSoftwareSet(value, &software)) {
            bad = Status::Corruption("unparsable software set");
            return false;
          }
          const std::string_view asset_id = key.substr(0, key.find('\0'));
          for (const auto& entry : software.entries) {
            if (wanted.count(entry.title)) visit(asset_id, set, entry.title, entry.version_rank);
          }
          ++set;
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

namespace {

enum class Metric : uint8_t { kDevice, kUser, kCore, kSite };

// What the allocation asks of a licence, worked out once per call.
struct LicenceFacts {
  Metric metric = Metric::kDevice;
  bool active = false, assigned = false;
  std::vector<std::string> people;  // lower case
};

// A host of the call: asset ids are interned once, so that the allocation
// works on dense indexes and strings appear only in the answer.
struct CallHost {
  const std::string* asset_id = nullptr;  // the key in the call's id map
  uint32_t order = 0;                     // rank by asset id
  uint32_t user = 0;                      // interned user (or "asset:<id>")
  bool read = false;
  std::optional<HostInfo> info;
};

// A product's host: its index and, in `eligible`, [first, first + count) the
// licences its installed versions satisfy.
struct ProductHost {
  uint32_t host;
  uint32_t first, count;
};

constexpr uint32_t kNoLicence = UINT32_MAX;

bool AssignedTo(const v1::Licence& l, const LicenceFacts& f, const CallHost& h) {
  for (const auto& a : l.assets()) {
    if (a == *h.asset_id) return true;
  }
  if (f.people.empty() || h.info->user.empty()) return false;
  const std::string user = ToLower(h.info->user);
  return std::find(f.people.begin(), f.people.end(), user) != f.people.end();
}

nlohmann::json IdList(const std::vector<CallHost>& hosts, const std::vector<uint32_t>& ids,
                      size_t max_hosts) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < ids.size() && i < max_hosts; ++i) out.push_back(*hosts[ids[i]].asset_id);
  return out;
}

}  // namespace

Result<nlohmann::json> ComputeCompliance(Store& store, const SoftwareCatalogue& catalogue,
                                         const std::vector<v1::Licence>& licences, int64_t day,
                                         const std::string& product_filter,
                                         const InstallSource& installs, size_t max_hosts) {
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
  std::vector<LicenceFacts> facts(licences.size());
  for (size_t i = 0; i < licences.size(); ++i) {
    const v1::Licence& l = licences[i];
    LicenceFacts& f = facts[i];
    const std::string& m = l.metric();
    f.metric = m == "site"                              ? Metric::kSite
               : m == "per_core"                        ? Metric::kCore
               : m == "per_user" || m == "subscription" ? Metric::kUser
                                                        : Metric::kDevice;
    f.active = LicenceActive(l, day);
    f.assigned = Assigned(l);
    for (const auto& p : l.people()) f.people.push_back(ToLower(p));
  }

  // The catalogue, matched once: per title, the products its name falls
  // under, and per version rank the licences that version satisfies. A
  // pattern without wildcards is looked up by name, not matched against
  // every title.
  struct TitleMatch {
    size_t product;
    std::vector<std::vector<uint32_t>> by_rank;
  };
  const uint32_t title_count = static_cast<uint32_t>(catalogue.title_count());
  std::vector<std::vector<TitleMatch>> titles(products.empty() ? 0 : title_count + 1);
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
  std::vector<uint32_t> wanted;
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
      TitleMatch match{p, std::vector<std::vector<uint32_t>>(title->versions.size())};
      for (size_t rank = 0; rank < title->versions.size(); ++rank) {
        auto version = catalogue.VersionById(title->versions[rank]);
        if (!version) continue;
        for (size_t l : products[p].licences) {
          if (PackageRuleMatches(licences[l].product(), title->name, version->version,
                                 version->publisher)) {
            match.by_rank[rank].push_back(static_cast<uint32_t>(l));
            ++matched_versions[l];
          }
        }
      }
      titles[t].push_back(std::move(match));
    }
    if (!under.empty()) wanted.push_back(t);
  }

  // The installs of those titles, hosts interned as they come.
  std::unordered_map<std::string, uint32_t> host_ids;
  std::vector<CallHost> hosts;
  if (!wanted.empty()) {
    std::string key;
    constexpr uint32_t kUnseen = UINT32_MAX;
    std::vector<uint32_t> set_hosts;  // software set -> host
    ESTATE_RETURN_IF_ERROR(installs(
        wanted, [&](std::string_view asset_id, uint32_t set, uint32_t title, uint32_t rank) {
          if (title >= titles.size() || titles[title].empty()) return;
          if (set >= set_hosts.size()) set_hosts.resize(set + 1, kUnseen);
          uint32_t& host = set_hosts[set];
          if (host == kUnseen) {
            key.assign(asset_id);
            auto [at, added] = host_ids.try_emplace(key, static_cast<uint32_t>(hosts.size()));
            if (added) hosts.emplace_back().asset_id = &at->first;
            host = at->second;
          }
          for (const auto& match : titles[title]) {
            auto& list = products[match.product].installs;
            if (rank >= match.by_rank.size() || match.by_rank[rank].empty()) {
              list.emplace_back(host, kNoLicence);
              continue;
            }
            for (uint32_t l : match.by_rank[rank]) list.emplace_back(host, l);
          }
        }));
  }
  // Allocated in asset id order (a stable answer): ranked once for all products.
  {
    std::vector<uint32_t> by_id(hosts.size());
    for (uint32_t h = 0; h < by_id.size(); ++h) by_id[h] = h;
    std::sort(by_id.begin(), by_id.end(),
              [&](uint32_t a, uint32_t b) { return *hosts[a].asset_id < *hosts[b].asset_id; });
    for (uint32_t i = 0; i < by_id.size(); ++i) hosts[by_id[i]].order = i;
  }

  std::unordered_map<std::string, uint32_t> user_ids;
  std::vector<Allocation> allocations(licences.size());
  nlohmann::json licence_rows = nlohmann::json::object();
  nlohmann::json product_rows = nlohmann::json::array();
  std::vector<ProductHost> product_hosts;
  std::vector<uint32_t> eligible;
  for (auto& product : products) {
    bool per_core = false;
    for (size_t l : product.licences) per_core |= facts[l].metric == Metric::kCore;
    // One entry per host, its licences beside it.
    std::sort(product.installs.begin(), product.installs.end(),
              [&](const std::pair<uint32_t, uint32_t>& a, const std::pair<uint32_t, uint32_t>& b) {
                const uint32_t oa = hosts[a.first].order, ob = hosts[b.first].order;
                return oa != ob ? oa < ob : a.second < b.second;
              });
    product_hosts.clear();
    eligible.clear();
    for (size_t i = 0; i < product.installs.size();) {
      const uint32_t h = product.installs[i].first;
      ProductHost entry{h, static_cast<uint32_t>(eligible.size()), 0};
      for (; i < product.installs.size() && product.installs[i].first == h; ++i) {
        const uint32_t l = product.installs[i].second;
        if (l != kNoLicence && (entry.count == 0 || eligible.back() != l)) {
          eligible.push_back(l);
          ++entry.count;
        }
      }
      // Who the host is (name, user, cores), from its record, read once per call.
      CallHost& host = hosts[h];
      if (!host.read) {
        host.read = true;
        auto read = ReadHost(store, *host.asset_id);
        if (!read.ok()) return read.status();
        host.info = std::move(*read);
        if (host.info) {
          const std::string user =
              host.info->user.empty() ? "asset:" + *host.asset_id : host.info->user;
          host.user =
              user_ids.try_emplace(user, static_cast<uint32_t>(user_ids.size())).first->second;
        }
      }
      // Gone, merged away, retired or disposed: not an install in use.
      if (!host.info) {
        eligible.resize(entry.first);
        continue;
      }
      if (per_core && host.info->cores == 0 && !host.info->facts_read) {
        ESTATE_RETURN_IF_ERROR(ReadCoresFromFacts(store, *host.asset_id, &*host.info));
      }
      product_hosts.push_back(entry);
    }
    std::vector<std::pair<uint32_t, uint32_t>>().swap(product.installs);

    // Valid licences, assigned ones first, then the soonest ending.
    std::vector<size_t> order;
    for (size_t l : product.licences) {
      if (facts[l].active) order.push_back(l);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const bool aa = facts[a].assigned, ab = facts[b].assigned;
      if (aa != ab) return aa;
      const std::string& ea = licences[a].end();
      const std::string& eb = licences[b].end();
      if (ea.empty() != eb.empty()) return eb.empty();
      return ea < eb;
    });
    nlohmann::json unlicensed = nlohmann::json::array();
    uint64_t shortfall = 0;
    for (const ProductHost& entry : product_hosts) {
      const CallHost& host = hosts[entry.host];
      const uint32_t* first = eligible.data() + entry.first;
      const uint32_t* last = first + entry.count;
      bool placed = false;
      bool any_rule = false;
      for (size_t l : order) {
        if (std::find(first, last, static_cast<uint32_t>(l)) == last) continue;
        const v1::Licence& licence = licences[l];
        const LicenceFacts& f = facts[l];
        if (f.assigned && !AssignedTo(licence, f, host)) continue;
        any_rule = true;
        Allocation& a = allocations[l];
        uint64_t demand = 1;  // per_device, concurrent (installs bound concurrent use from above)
        if (f.metric == Metric::kSite) demand = 0;
        if (f.metric == Metric::kCore) {
          demand = CoresToLicense(licence, host.info->cores, host.info->sockets);
        }
        if (f.metric == Metric::kUser) demand = a.users.count(host.user) ? 0 : 1;
        if (f.metric != Metric::kSite && a.used + demand > licence.quantity()) continue;
        a.used += demand;
        if (f.metric == Metric::kUser) a.users.insert(host.user);
        a.hosts.push_back(entry.host);
        placed = true;
        break;
      }
      if (placed) continue;
      ++shortfall;
      if (unlicensed.size() >= max_hosts) continue;
      // Why: no valid licence's rule takes this version, or they are all used up.
      bool eligible_anywhere = false;
      for (const uint32_t* l = first; l != last; ++l) eligible_anywhere |= facts[*l].active;
      unlicensed.push_back({{"asset_id", *host.asset_id},
                            {"hostname", host.info->hostname},
                            {"user", host.info->user},
                            {"reason", any_rule            ? "entitlement used up"
                                       : eligible_anywhere ? "not assigned to this host or its user"
                                       : entry.count == 0  ? "installed version is not covered"
                                                           : "no licence valid on this day"}});
    }

    uint64_t entitled = 0, used = 0, covered_count = 0;
    bool unlimited = false;
    nlohmann::json ids = nlohmann::json::array();
    std::set<std::string> metrics;
    nlohmann::json covered = nlohmann::json::array();
    for (size_t l : product.licences) {
      const v1::Licence& licence = licences[l];
      const bool active = facts[l].active;
      const Allocation& a = allocations[l];
      ids.push_back(licence.id());
      metrics.insert(licence.metric());
      if (active) {
        if (facts[l].metric == Metric::kSite) {
          unlimited = true;
        } else {
          entitled += licence.quantity();
        }
        used += a.used;
      }
      covered_count += a.hosts.size();
      for (size_t i = 0; i < a.hosts.size() && covered.size() < max_hosts; ++i) {
        covered.push_back(*hosts[a.hosts[i]].asset_id);
      }
      nlohmann::json warnings = nlohmann::json::array();
      if (matched_versions[l] == 0) {
        warnings.push_back("product: the rule matches no software any agent reported");
      }
      const uint64_t quantity = active ? licence.quantity() : 0;
      const bool site = facts[l].metric == Metric::kSite;
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
          {"hosts", IdList(hosts, a.hosts, max_hosts)},
          {"host_count", a.hosts.size()},
          {"hosts_truncated", a.hosts.size() > max_hosts},
          {"warnings", std::move(warnings)}};
    }
    const std::string status = shortfall > 0                   ? "under-licensed"
                               : !unlimited && entitled > used ? "over-licensed"
                                                               : "compliant";
    product_rows.push_back(
        {{"product", product.pattern},
         {"licences", std::move(ids)},
         {"metrics", metrics},
         {"installs", product_hosts.size()},
         {"entitled", entitled},
         {"unlimited", unlimited},
         {"used", used},
         {"available", unlimited || used > entitled ? 0 : entitled - used},
         {"unlicensed_installs", shortfall},
         {"status", status},
         {"covered_installs", covered_count},
         {"covered_hosts", std::move(covered)},
         {"unlicensed_hosts", std::move(unlicensed)},
         {"hosts_truncated", covered_count > max_hosts || shortfall > max_hosts}});
  }
  nlohmann::json licence_list = nlohmann::json::array();
  for (auto& [id, row] : licence_rows.items()) licence_list.push_back(std::move(row));
  return nlohmann::json{{"at", IsoDateFromDays(day)},
                        {"products", std::move(product_rows)},
                        {"licences", std::move(licence_list)}};
}

}  // namespace estate::collector
