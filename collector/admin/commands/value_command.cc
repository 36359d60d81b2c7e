// estatectl value [filters] [--by GROUPING] [--at DATE]: what the estate cost
// and its book value on a day, totalled per class, department, location or
// owner and currency; licences and contracts join as classes of their own.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/commands/estate_value.h"
#include "collector/ingest/ingestor.h"

namespace estate::collector {
namespace {

class ValueCommand : public AdminCommand {
 public:
  std::string Name() const override { return "value"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "value",
        "Inventory",
        {{"", "[filters]",
          "cost and book value per class, department, location or owner, per currency",
          Concat(AssetFilterOptions(),
                 std::vector<OptionSpec>{
                     {"by", ValueKind::kChoice, "GROUPING",
                      "total per class (default), department, location or owner",
                      ValuationGroupings()},
                     {"at", ValueKind::kDate, "DATE", "book values on DATE (default today)"}}),
          0, 0}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const int64_t now = UnixNow();
    auto filter = AssetFilter::FromRequest(context.store, request, now);
    if (!filter.ok()) return filter.status();
    int64_t at = now;
    if (auto text = Option(request, "at")) {
      auto parsed = ParseTime(*text, /*end_of_day=*/false);
      if (!parsed.ok()) return parsed.status();
      at = *parsed;
    }
    const std::string by = OptionOr(request, "by", "class");
    auto valuation = ValueEstate(context.store, context.ingestor, *filter, DayOfTime(at));
    if (!valuation.ok()) return valuation.status();
    return nlohmann::json{{"at", IsoDateFromDays(DayOfTime(at))},
                          {"by", by},
                          {"totals", valuation->Rows(by)},
                          {"total", valuation->Total()}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeValueCommand() { return std::make_unique<ValueCommand>(); }

}  // namespace estate::collector
