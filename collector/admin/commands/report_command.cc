// estatectl report [filters] [--stale 30d] [--top N] [--no-software]: counts by
// class, state, OS, vendor and device type; software install counts; stale,
// missing and overdue assets; open shadow and drift findings; cost and book
// value by class, department, location and owner.
#include <algorithm>
#include <map>
#include <set>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/commands/estate_value.h"
#include "collector/admin/contract_records.h"
#include "collector/admin/licence_compliance.h"
#include "collector/admin/location_map.h"
#include "collector/admin/location_path.h"
#include "collector/admin/valuation.h"
#include "collector/admin/verification.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/software_set.h"
#include "estate/text.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

// Counts by name; looked up by view, so counting a million assets copies no strings.
using Counts = std::map<std::string, uint64_t, std::less<>>;

void Count(Counts& counts, std::string_view value, std::string_view fallback) {
  const std::string_view key = value.empty() ? fallback : value;
  auto it = counts.find(key);
  if (it == counts.end()) it = counts.emplace(std::string(key), 0).first;
  ++it->second;
}

nlohmann::json Sorted(const Counts& counts, size_t top) {
  std::vector<std::pair<std::string, uint64_t>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (v.size() > top) v.resize(top);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, count] : v) out.push_back({{"name", name}, {"count", count}});
  return out;
}

class ReportCommand : public AdminCommand {
 public:
  std::string Name() const override { return "report"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "report",
        "Inventory",
        {{"", "[filters]",
          "counts by class, state, OS and vendor; software; stale, missing and overdue assets",
          Concat(AssetFilterOptions(),
                 std::vector<OptionSpec>{
                     {"stale", ValueKind::kDuration, "AGE",
                      "stale when not seen for AGE (default 30d)"},
                     {"top", ValueKind::kNumber, "N", "the N largest counts (default 25)"},
                     {"no-software", ValueKind::kSwitch, "", "skip the software counts"},
                     {"expiring", ValueKind::kDuration, "AGE",
                      "licences, contracts and warranties ending within AGE (90d)"},
                     // Drawn by estatectl from this and other read-only commands.
                     {"html", ValueKind::kText, "FILE",
                      "write a self-contained HTML report with charts and a network map to FILE"},
                     {"unverified", ValueKind::kSwitch, "",
                      "assets whose last verification is older than their class's rule allows "
                      "(class set --verify-every)"}}),
          0, 0}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const int64_t now = UnixNow();
    auto filter = AssetFilter::FromRequest(context.store, request, now);
    if (!filter.ok()) return filter.status();
    auto stale_for = ParseDurationSeconds(OptionOr(request, "stale", "30d"));
    if (!stale_for.ok()) return stale_for.status();
    size_t top = 25;
    if (auto t = Option(request, "top")) {
      auto parsed = ParseUint(*t);
      if (!parsed || *parsed == 0) return Status::InvalidArgument("--top needs a number > 0");
      top = *parsed;
    }
    const bool software = !Option(request, "no-software");
    auto methods = LoadDepreciation(context.store);
    if (!methods.ok()) return methods.status();
    const int64_t today = DayOfTime(now);
    Valuation valuation(std::move(*methods), today);
    auto contracts = LoadContracts(context.store);
    if (!contracts.ok()) return contracts.status();
    auto licences = LoadLicences(context.store);
    if (!licences.ok()) return licences.status();
    // The last day each asset's warranty covers: its warranty_end attribute
    // or the latest warranty contract covering it, whichever is later.
    std::map<std::string, std::pair<int64_t, std::string>, std::less<>> warranty;
    auto cover = [&](const std::string& asset_id, int64_t end, const std::string& source) {
      auto [it, added] = warranty.emplace(asset_id, std::make_pair(end, source));
      if (!added && end > it->second.first) it->second = {end, source};
    };
    for (const auto& c : *contracts) {
      auto end = DaysFromIsoDate(c.end());
      if (c.type() != "warranty" || !end) continue;
      for (const auto& id : c.assets()) cover(id, *end, "contract " + c.id());
    }
    nlohmann::json warranty_ended = nlohmann::json::array();
    std::vector<std::pair<int64_t, nlohmann::json>> asset_warranties;  // for --expiring
    const bool expiring = Option(request, "expiring").has_value();

    auto location_map = LocationMap::Load(context.store);
    if (!location_map.ok()) return location_map.status();
    nlohmann::json location_mismatches = nlohmann::json::array();
    const bool unverified = Option(request, "unverified").has_value();
    std::set<std::string> matched;  // for --unverified under filters
    Counts by_class, by_state, by_os, by_vendor, by_type, by_gap, installs;
    uint64_t total = 0, managed = 0, shadow = 0;
    nlohmann::json stale = nlohmann::json::array(), overdue = nlohmann::json::array(),
                   missing = nlohmann::json::array();
    Status failure;
    v1::Asset a;  // one message for the scan: parsing reuses its strings and fields
    ESTATE_RETURN_IF_ERROR(
        context.store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view v) {
          if (!a.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
            failure = Status::Corruption("unparsable asset record");
            return false;
          }
          if (!filter->Matches(a)) return true;
          if (filter->NeedsFacts()) {
            auto has =
                filter->HasSoftware(context.store, context.ingestor.software().catalogue(), a.id());
            if (!has.ok() || !*has) return has.ok();
          }
          ++total;
          if (unverified && !filter->Empty()) matched.insert(a.id());
          if (!location_map->empty()) {
            auto seen = location_map->Infer(a);
            auto recorded = a.attributes().find("location");
            if (seen && recorded != a.attributes().end() &&
                LocationsDisagree(recorded->second, seen->path)) {
              location_mismatches.push_back({{"asset_id", a.id()},
                                             {"hostname", a.hostname()},
                                             {"recorded", recorded->second},
                                             {"seen", seen->path},
                                             {"basis", seen->basis}});
            }
          }
          valuation.AddAsset(a);
          a.managed() ? ++managed : (a.ignored_reason().empty() ? ++shadow : 0);
          Count(by_class, a.asset_class(), "unknown");
          Count(by_state, a.state(), "discovered");
          Count(by_os, a.os(), "unknown");
          Count(by_vendor, a.vendor(), "unknown");
          if (!a.device_type().empty()) Count(by_type, a.device_type(), "");
          for (const auto& gap : a.security_gaps()) Count(by_gap, gap, "");
          // Built only for the few listed: not a JSON object per asset of a million.
          auto brief = [&a] {
            return nlohmann::json{{"asset_id", a.id()},
                                  {"hostname", a.hostname()},
                                  {"last_seen", FormatTime(a.last_seen())}};
          };
          if (a.managed() && a.last_seen() && a.last_seen() < now - *stale_for)
            stale.push_back(brief());
          if (a.missing_since()) missing.push_back(brief());
          if (a.state() == lifecycle::kDeployed || a.state() == lifecycle::kCheckedOut) {
            std::optional<std::pair<int64_t, std::string>> covered;
            if (auto it = warranty.find(a.id()); it != warranty.end()) covered = it->second;
            auto attribute = a.attributes().find("warranty_end");
            if (attribute != a.attributes().end()) {
              auto end = DaysFromIsoDate(attribute->second);
              if (end && expiring && *end >= today) {
                asset_warranties.emplace_back(*end, nlohmann::json{{"kind", "warranty"},
                                                                   {"id", a.id()},
                                                                   {"what", a.hostname()},
                                                                   {"end", attribute->second},
                                                                   {"days_left", *end - today}});
              }
              if (end && (!covered || *end > covered->first)) covered = {{*end, "warranty_end"}};
            }
            if (covered && covered->first < today) {
              nlohmann::json j = brief();
              j["state"] = a.state();
              j["warranty_end"] = IsoDateFromDays(covered->first);
              j["source"] = covered->second;
              warranty_ended.push_back(std::move(j));
            }
          }
          if (a.state() == "checked_out" && a.custody().due() && a.custody().due() < now) {
            overdue.push_back({{"asset_id", a.id()},
                               {"holder", a.custody().holder()},
                               {"due", FormatTime(a.custody().due())}});
          }
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(failure);
    if (filter->Empty()) ESTATE_RETURN_IF_ERROR(AddLicencesAndContracts(context.store, valuation));
    // Installs per package and findings come from the install counters: no
    // host's package set is read. (With asset filters, counts are of the whole estate.)
    uint64_t software_findings = 0;
    if (software) {
      const SoftwareCatalogue& catalogue = context.ingestor.software().catalogue();
      const auto policy = context.ingestor.policy();
      for (const auto& c : context.ingestor.software().InstallCounts()) {
        auto version = catalogue.VersionById(c.version);
        if (!version) continue;
        const std::string name = catalogue.TitleName(version->title);
        installs[name] += static_cast<uint64_t>(c.count);
        const std::string_view verdict =
            VersionVerdict(*policy, catalogue, c.version, c.asset_class);
        const bool flagged = verdict == verdict::kUnknown ? policy->flags_unknown_software()
                                                          : verdict != verdict::kApproved;
        if (flagged && !policy->Ignored(name)) software_findings += static_cast<uint64_t>(c.count);
      }
    }

    uint64_t drift_items = 0;
    std::set<std::string> drift_assets;
    const std::string drift_prefix = FindingsPrefix("drift");
    ESTATE_RETURN_IF_ERROR(context.store.Scan(
        Table::kFindings, drift_prefix, [&](std::string_view key, std::string_view v) {
          v1::DriftState s;
          if (s.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
            drift_assets.emplace(key.substr(drift_prefix.size()));
            drift_items += s.items_size();
          }
          return true;
        }));
    const std::string software_drift_prefix = FindingsPrefix("software_drift");
    ESTATE_RETURN_IF_ERROR(context.store.Scan(
        Table::kFindings, software_drift_prefix, [&](std::string_view key, std::string_view) {
          std::string_view rest = key.substr(software_drift_prefix.size());
          drift_assets.emplace(rest.substr(0, rest.find('\0')));
          return true;
        }));
    drift_items +=
        static_cast<uint64_t>(std::max<int64_t>(0, context.ingestor.software().DriftItems()));
    const std::string services_prefix = FindingsPrefix("services");
    ESTATE_RETURN_IF_ERROR(context.store.Scan(
        Table::kFindings, services_prefix, [&](std::string_view, std::string_view v) {
          v1::SoftwareFindings s;
          if (s.ParseFromArray(v.data(), static_cast<int>(v.size())))
            software_findings += s.findings_size();
          return true;
        }));

    nlohmann::json out = {{"assets", total},
                          {"managed", managed},
                          {"shadow_devices", shadow},
                          {"by_class", Sorted(by_class, top)},
                          {"by_state", Sorted(by_state, top)},
                          {"by_os", Sorted(by_os, top)},
                          {"by_vendor", Sorted(by_vendor, top)},
                          {"by_device_type", Sorted(by_type, top)},
                          {"by_security_gap", Sorted(by_gap, top)},
                          {"stale", stale},
                          {"missing", missing},
                          {"overdue", overdue},
                          {"drift", {{"assets", drift_assets.size()}, {"items", drift_items}}},
                          {"software_findings", software_findings}};
    if (software) out["software_installs"] = Sorted(installs, top);
    nlohmann::json value = {{"at", IsoDateFromDays(valuation.at_day())},
                            {"total", valuation.Total()}};
    for (const auto& by : ValuationGroupings()) value["by_" + by] = valuation.Rows(by);
    out["value"] = std::move(value);
    out["warranty_ended"] = std::move(warranty_ended);
    if (!location_map->empty()) out["location_mismatches"] = std::move(location_mismatches);
    if (unverified) {
      auto lapsed = UnverifiedAssets(context.store, now);
      if (!lapsed.ok()) return lapsed.status();
      nlohmann::json list = nlohmann::json::array();
      for (auto& row : *lapsed) {
        if (filter->Empty() || matched.count(row.at("asset_id").get<std::string>())) {
          list.push_back(std::move(row));
        }
      }
      out["unverified"] = std::move(list);
    }
    if (auto age = Option(request, "expiring")) {
      auto within = ParseDurationSeconds(*age);
      if (!within.ok()) return within.status();
      const int64_t last = DayOfTime(now + *within);
      std::vector<std::pair<int64_t, nlohmann::json>> ending;
      auto add = [&](const char* kind, const std::string& id, const std::string& what,
                     const std::string& end_text) {
        auto end = DaysFromIsoDate(end_text);
        if (!end || *end < today || *end > last) return;
        ending.emplace_back(*end, nlohmann::json{{"kind", kind},
                                                 {"id", id},
                                                 {"what", what},
                                                 {"end", end_text},
                                                 {"days_left", *end - today}});
      };
      for (const auto& l : *licences) add("licence", l.id(), l.product().pattern(), l.end());
      for (const auto& c : *contracts) {
        add("contract", c.id(), c.type() + (c.vendor().empty() ? "" : " " + c.vendor()), c.end());
      }
      for (auto& [end, j] : asset_warranties) {
        if (end >= today && end <= last) ending.emplace_back(end, std::move(j));
      }
      std::stable_sort(ending.begin(), ending.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
      nlohmann::json list = nlohmann::json::array();
      for (auto& [day, j] : ending) list.push_back(std::move(j));
      out["expiring"] = std::move(list);
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeReportCommand() { return std::make_unique<ReportCommand>(); }

}  // namespace estate::collector
