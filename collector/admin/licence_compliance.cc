#include "collector/admin/licence_compliance.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "collector/admin/money.h"
#include "collector/reconcile/lifecycle.h"
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
  uint64_t cores = 0;
  std::set<size_t> eligible;  // indexes into the product's licences
};

struct Product {
  std::string pattern;           // lower case
  std::vector<size_t> licences;  // indexes into the call's licences
  std::map<std::string, Host> hosts;
};

// What one licence took.
struct Allocation {
  uint64_t used = 0;
  std::set<std::string> users;
  std::vector<std::string> hosts;
};

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
  if (m == "per_core") return std::max<uint64_t>(h.cores, 1);
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

Result<nlohmann::json> ComputeCompliance(Store& store, const SoftwareCatalogue& catalogue,
                                         const std::vector<v1::Licence>& licences, int64_t day,
                                         const std::string& product_filter) {
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
  // under, and per version rank the licences that version satisfies.
  struct TitleMatch {
    size_t product;
    std::vector<std::vector<size_t>> by_rank;
  };
  std::unordered_map<uint32_t, std::vector<TitleMatch>> titles;
  std::vector<uint64_t> matched_versions(licences.size(), 0);
  const uint32_t title_count = static_cast<uint32_t>(catalogue.title_count());
  for (uint32_t t = 1; t <= title_count; ++t) {
    auto title = catalogue.TitleById(t);
    if (!title) continue;
    for (size_t p = 0; p < products.size(); ++p) {
      const v1::SoftwareRule& first = licences[products[p].licences.front()].product();
      if (!RuleNameMatches(first, title->name)) continue;
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

  // The installs: one pass over the nodes' software sets.
  Status bad;
  if (!titles.empty()) {
    HostSoftware software;
    ESTATE_RETURN_IF_ERROR(
        store.Scan(Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
          if (!DecodeSoftwareSet(value, &software)) {
            bad = Status::Corruption("unparsable software set");
            return false;
          }
          const std::string asset_id(key.substr(0, key.find('\0')));
          for (const auto& entry : software.entries) {
            auto it = titles.find(entry.title);
            if (it == titles.end()) continue;
            for (const auto& match : it->second) {
              Host& host = products[match.product].hosts[asset_id];
              host.asset_id = asset_id;
              if (entry.version_rank < match.by_rank.size()) {
                for (size_t l : match.by_rank[entry.version_rank]) host.eligible.insert(l);
              }
            }
          }
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
  }

  nlohmann::json licence_rows = nlohmann::json::object();
  nlohmann::json product_rows = nlohmann::json::array();
  for (auto& product : products) {
    // Who the hosts are: name, user, cores, from their records.
    for (auto& [id, host] : product.hosts) {
      auto asset = GetRecord<v1::Asset>(store, Table::kAssets, id);
      if (!asset.ok()) return asset.status();
      if (!asset->has_value()) continue;
      const v1::Asset& a = **asset;
      host.hostname = a.hostname();
      host.cores = a.cpu_logical();
      auto owner = a.attributes().find("owner");
      if (a.state() == lifecycle::kCheckedOut && !a.custody().holder().empty()) {
        host.user = a.custody().holder();
      } else if (owner != a.attributes().end()) {
        host.user = owner->second;
      }
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
    for (const auto& [id, host] : product.hosts) {
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
  for (auto& [id, row] : licence_rows.items()) licence_list.push_back(row);
  return nlohmann::json{{"at", IsoDateFromDays(day)},
                        {"products", std::move(product_rows)},
                        {"licences", std::move(licence_list)}};
}

}  // namespace estate::collector
