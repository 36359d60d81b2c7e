// estatectl export --format csv ASSET...|--all: the asset register in a
// standard format, for a spreadsheet, another tool or `estatectl import`
// into another collector (docs/import.md). The formats are the `--format`
// choices; each writes through its own file (csv: register_csv.h).
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/register_csv.h"

namespace estate::collector {
namespace {

class ExportCommand : public AdminCommand {
 public:
  std::string Name() const override { return "export"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "export",
        "Inventory",
        {{"", "--format FORMAT ASSET...|--all",
          "write the named assets (or --all) in a standard format: csv, the asset register "
          "(the columns `import` reads)",
          std::vector<OptionSpec>{
              {"format", ValueKind::kChoice, "FORMAT", "the format (required)", {"csv"}},
              {"all", ValueKind::kSwitch, "", "every asset"}},
          0, -1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const auto format = Option(request, "format");
    if (!format) return Status::InvalidArgument("export needs --format (csv)");
    const bool all = Option(request, "all").has_value();
    if (all == (request.args_size() > 0)) {
      return Status::InvalidArgument("export: name the assets, or give --all");
    }
    std::vector<v1::Asset> assets;
    if (all) {
      ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
        assets.push_back(a);
        return true;
      }));
    } else {
      for (const auto& name : request.args()) {
        auto asset = LookupAsset(context.store, name);
        if (!asset.ok()) return asset.status();
        assets.push_back(std::move(*asset));
      }
    }
    // Only csv is declared; the table refuses any other before Run.
    return nlohmann::json{
        {"format", *format}, {"count", assets.size()}, {"text", RegisterCsv(assets)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace estate::collector
