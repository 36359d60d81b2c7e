// estatectl shadow [--devices | --software] [--all]: devices nobody manages and
// software the policy does not approve, with the hosts affected.
// estatectl shadow --explain NAME: each known version of package NAME, where
// it came from, its verdict per asset class and the rule that decided it.
#include <map>
#include <set>

#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/software_set.h"
#include "estate/proto_json.h"

namespace estate::collector {
namespace {

// A rule in one line: "rule 1712 (netcat* prohibited)".
std::string DescribeRule(const v1::SoftwareRule& rule) {
  std::string text = "rule " + rule.id() + " (" + rule.pattern();
  if (!rule.publisher().empty()) text += " publisher " + rule.publisher();
  if (!rule.origin().empty()) text += " origin " + rule.origin();
  if (!rule.suite().empty()) text += " suite " + rule.suite();
  if (!rule.min_version().empty()) text += " >= " + rule.min_version();
  if (!rule.max_version().empty()) text += " <= " + rule.max_version();
  if (!rule.asset_class().empty()) text += " class " + rule.asset_class();
  return text + " " + rule.verdict() + ")";
}

Result<nlohmann::json> Explain(const std::string& name, AdminContext& context) {
  const SoftwareCatalogue& catalogue = context.ingestor.software().catalogue();
  const auto policy = context.ingestor.policy();
  std::map<uint32_t, std::vector<std::pair<std::string, int64_t>>> installed;  // version -> classes
  for (const auto& c : context.ingestor.software().InstallCounts()) {
    installed[c.version].emplace_back(c.asset_class, c.count);
  }
  nlohmann::json list = nlohmann::json::array();
  for (uint32_t title : catalogue.TitlesNamed(name)) {
    auto t = catalogue.TitleById(title);
    if (!t) continue;
    for (uint32_t version : t->versions) {
      v1::Package package;
      if (!catalogue.PackageOfVersion(version, &package)) continue;
      auto classes = installed[version];
      if (classes.empty()) classes.emplace_back("", 0);  // known, installed nowhere now
      for (const auto& [asset_class, hosts] : classes) {
        const PolicyDecision decision = policy->ExplainPackage(package, asset_class);
        nlohmann::json entry = {{"name", package.name()},
                                {"version", package.version()},
                                {"architecture", package.architecture()},
                                {"source", package.source()},
                                {"origins", package.origins()},
                                {"distribution", package.distribution()},
                                {"origin_evidence", package.origin_evidence()},
                                {"publisher", package.publisher()},
                                {"asset_class", asset_class},
                                {"hosts", hosts},
                                {"verdict", std::string(decision.verdict)}};
        if (decision.rule != nullptr) {
          entry["rule"] = ProtoToJson(*decision.rule);
          entry["decided_by"] = DescribeRule(*decision.rule);
        } else {
          entry["decided_by"] = "no rule matches";
        }
        list.push_back(std::move(entry));
      }
    }
  }
  if (list.empty()) return Status::NotFound("no package named '" + name + "' was ever reported");
  return nlohmann::json{{"order", std::string(kRuleOrder)}, {"explain", std::move(list)}};
}

class ShadowCommand : public AdminCommand {
 public:
  std::string Name() const override { return "shadow"; }
  const CommandSpec& Spec() const override {
    static const auto* spec =
        new CommandSpec{"shadow",
                        "Shadow IT and drift",
                        {{"", "", "devices nobody manages, software not approved",
                          std::vector<OptionSpec>{
                              {"devices", ValueKind::kSwitch, "", "devices only"},
                              {"software", ValueKind::kSwitch, "", "software only"},
                              {"all", ValueKind::kSwitch, "", "include ignored findings"},
                              {"hosts", ValueKind::kSwitch, "", "list the assets of each package"},
                              {"explain", ValueKind::kText, "NAME",
                               "each version of package NAME: origin, verdict, the deciding rule"}},
                          0, 0}},
                        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const bool all = Option(request, "all").has_value();
    const bool only_devices = Option(request, "devices").has_value();
    const bool only_software = Option(request, "software").has_value();
    const bool with_hosts = Option(request, "hosts").has_value();
    if (auto name = Option(request, "explain")) {
      if (name->empty() || *name == "true") {
        return Status::InvalidArgument("--explain needs a package name");
      }
      return Explain(*name, context);
    }
    nlohmann::json out = nlohmann::json::object();
    Status bad;
    if (!only_software) {
      nlohmann::json devices = nlohmann::json::array();
      ESTATE_RETURN_IF_ERROR(
          context.store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view value) {
            v1::Asset a;
            if (!a.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
              bad = Status::Corruption("unparsable asset record");
              return false;
            }
            if (a.managed() || !a.merged_into().empty()) return true;
            if (!a.ignored_reason().empty() && !all) return true;
            devices.push_back({{"asset_id", a.id()},
                               {"mac", a.macs().empty() ? "" : a.macs(0)},
                               {"ip", a.ips().empty() ? "" : a.ips(0)},
                               {"vendor", a.vendor()},
                               {"hostname", a.hostname()},
                               {"device_type", a.device_type()},
                               {"switch", a.location().switch_name()},
                               {"port", a.location().port()},
                               {"vlan", a.location().vlan()},
                               {"first_seen", FormatTime(a.first_seen())},
                               {"last_seen", FormatTime(a.last_seen())},
                               {"evidence", a.evidence()},
                               {"ignored", a.ignored_reason()}});
            return true;
          }));
      ESTATE_RETURN_IF_ERROR(bad);
      out["devices"] = std::move(devices);
    }
    if (!only_devices) {
      struct Aggregate {
        std::set<std::string> versions;
        std::set<uint32_t> version_ids;
        uint64_t installs = 0;
        std::set<std::string> assets;
      };
      // (verdict, kind, name) -> what is installed where.
      std::map<std::tuple<std::string, std::string, std::string>, Aggregate> software;
      // Packages: every installed version's verdict under the current policy,
      // with the install counts; a package set is read only for --hosts.
      const SoftwareCatalogue& catalogue = context.ingestor.software().catalogue();
      const auto policy = context.ingestor.policy();
      for (const auto& c : context.ingestor.software().InstallCounts()) {
        auto version = catalogue.VersionById(c.version);
        if (!version) continue;
        const std::string name = catalogue.TitleName(version->title);
        const std::string verdict(VersionVerdict(*policy, catalogue, c.version, c.asset_class));
        if (verdict == verdict::kApproved) continue;
        if (verdict == verdict::kUnknown && !policy->flags_unknown_software()) continue;
        if (policy->Ignored(name) && !all) continue;
        auto& agg = software[{verdict, "package", name}];
        agg.versions.insert(version->version);
        agg.version_ids.insert(c.version);
        agg.installs += static_cast<uint64_t>(c.count);
      }
      if (with_hosts && !software.empty()) {
        std::map<uint32_t, std::vector<Aggregate*>> by_version;
        for (auto& [key, agg] : software) {
          for (uint32_t v : agg.version_ids) by_version[v].push_back(&agg);
        }
        ESTATE_RETURN_IF_ERROR(context.store.Scan(
            Table::kSoftware, "", [&](std::string_view key, std::string_view value) {
              HostSoftware host;
              if (!DecodeSoftwareSet(value, &host)) return true;
              const std::string asset_id(key.substr(0, key.find('\0')));
              for (const auto& e : host.entries) {
                auto it = by_version.find(catalogue.VersionId(e.title, e.version_rank));
                if (it == by_version.end()) continue;
                for (Aggregate* agg : it->second) agg->assets.insert(asset_id);
              }
              return true;
            }));
      }
      // Services: findings kept per host.
      const std::string prefix = FindingsPrefix("services");
      ESTATE_RETURN_IF_ERROR(context.store.Scan(
          Table::kFindings, prefix, [&](std::string_view key, std::string_view value) {
            v1::SoftwareFindings findings;
            if (!findings.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
              bad = Status::Corruption("unparsable service findings");
              return false;
            }
            const std::string asset_id(key.substr(prefix.size()));
            for (const auto& f : findings.findings()) {
              auto& agg = software[{f.verdict(), f.kind(), f.name()}];
              agg.versions.insert(f.version());
              agg.assets.insert(asset_id);
              agg.installs = agg.assets.size();
            }
            return true;
          }));
      ESTATE_RETURN_IF_ERROR(bad);
      nlohmann::json list = nlohmann::json::array();
      // Prohibited first, then unapproved, then unknown.
      for (const char* verdict : {"prohibited", "unapproved", "unknown"}) {
        for (const auto& [key, agg] : software) {
          if (std::get<0>(key) != verdict) continue;
          nlohmann::json entry = {{"verdict", verdict},
                                  {"kind", std::get<1>(key)},
                                  {"name", std::get<2>(key)},
                                  {"versions", agg.versions},
                                  {"hosts", agg.installs}};
          if (with_hosts || std::get<1>(key) == "service") entry["assets"] = agg.assets;
          list.push_back(std::move(entry));
        }
      }
      out["software"] = std::move(list);
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeShadowCommand() { return std::make_unique<ShadowCommand>(); }

}  // namespace estate::collector
