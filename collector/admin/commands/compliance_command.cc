// estatectl compliance [--product P] [--at DATE] [--hosts N]: per licensed
// product, what the valid licences entitle against what agents report
// installed, the hosts covered and those unlicensed; per licence, what it
// entitles and holds. The whole estate's answer names at most 100 hosts per
// list (a fleet's would be millions of ids nobody reads in one answer; the
// counts stay exact); one product's names them all.
#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/licence_compliance.h"
#include "collector/admin/money.h"
#include "collector/ingest/ingestor.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Hosts named per list in the whole estate's answer.
constexpr size_t kEstateHosts = 100;

class ComplianceCommand : public AdminCommand {
 public:
  std::string Name() const override { return "compliance"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "compliance",
        "Licences and money",
        {{"", "",
          "entitled against installed per licensed product: over/under-licensed, unlicensed hosts",
          std::vector<OptionSpec>{
              {"product", ValueKind::kText, "NAME",
               "only the product NAME (or its licence pattern)"},
              {"at", ValueKind::kDate, "DATE", "licences valid on DATE (default today)"},
              {"hosts", ValueKind::kNumber, "N",
               "name at most N hosts per list (default: 100, every host with --product)"}},
          0, 0}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    int64_t at = UnixNow();
    if (auto text = Option(request, "at")) {
      auto parsed = ParseTime(*text, /*end_of_day=*/false);
      if (!parsed.ok()) return parsed.status();
      at = *parsed;
    }
    auto licences = LoadLicences(context.store);
    if (!licences.ok()) return licences.status();
    const std::string product = OptionOr(request, "product", "");
    size_t max_hosts = product.empty() ? kEstateHosts : kAllHosts;
    if (auto text = Option(request, "hosts")) {
      auto parsed = ParseUint(*text);
      if (!parsed) return Status::InvalidArgument("--hosts needs a number");
      max_hosts = *parsed;
    }
    auto result = ComputeCompliance(
        context.store, context.ingestor.software().catalogue(), *licences, DayOfTime(at), product,
        IndexedInstalls(context.ingestor, context.caller.Actor()), max_hosts);
    if (result.ok() && !product.empty() && result->at("products").empty()) {
      return Status::NotFound("compliance: no licence covers product '" + product + "'");
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeComplianceCommand() {
  return std::make_unique<ComplianceCommand>();
}

}  // namespace estate::collector
