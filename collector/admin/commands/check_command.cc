// estatectl check: every stored value the attribute schema refuses. A store
// written before the schema (an older estated stored cost=abc,
// purchase_date=yesterday, ownr=bob as given) keeps working: its records are
// read as they are, and this lists what to correct, with the field and why.
#include <algorithm>

#include "collector/admin/asset_lookup.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"

namespace estate::collector {
namespace {

class CheckCommand : public AdminCommand {
 public:
  std::string Name() const override { return "check"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "check",
        "Inventory",
        {{"", "",
          "list stored values the attribute schema refuses (written by an older version): "
          "asset, field, value and why",
          std::vector<OptionSpec>{}, 0, 0}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext& context) override {
    auto classes = KnownClasses(context.store);
    if (!classes.ok()) return classes.status();
    nlohmann::json problems = nlohmann::json::array();
    uint64_t checked = 0, invalid_assets = 0;
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
      ++checked;
      const auto found = CheckStoredAsset(a, *classes);
      invalid_assets += !found.empty();
      auto tag = a.attributes().find("asset_tag");
      for (const auto& p : found) {
        problems.push_back({{"asset_id", a.id()},
                            {"asset_tag", tag == a.attributes().end() ? "" : tag->second},
                            {"hostname", a.hostname()},
                            {"field", p.field},
                            {"value", p.value},
                            {"reason", p.reason}});
      }
      return true;
    }));

    return nlohmann::json{{"assets_checked", checked},
                          {"invalid_assets", invalid_assets},
                          {"problems", std::move(problems)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeCheckCommand() { return std::make_unique<CheckCommand>(); }

}  // namespace estate::collector
