// estatectl export --format csv|glpi ASSET...|--all: assets in a format another tool
// imports. csv is the asset register (the columns `import` reads, register_csv.h), for a
// spreadsheet or another collector (docs/import.md); glpi is GLPI native inventory JSON
// (glpi_export.h), which estatectl prints or writes one file per asset (--output-dir), as
// GLPI's glpi-injector reads a directory (docs/glpi.md). Read-only.
#include "collector/admin/admin_args.h"
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/glpi_export.h"
#include "collector/admin/register_csv.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"

namespace estate::collector {
namespace {

// The node's facts with its packages, as the reconciled store holds them.
Result<GlpiExportSource> LoadSource(AdminContext& context, const v1::Asset& asset,
                                    const v1::SourceRef& ref) {
  GlpiExportSource source;
  source.node_id = ref.node_id();
  source.kind = ref.kind();
  ESTATE_RETURN_IF_ERROR(LoadSections(context.store, asset.id(), ref.node_id(), &source.facts));
  auto software = context.store.Get(Table::kSoftware, SoftwareKey(asset.id(), ref.node_id()));
  if (!software.ok()) return software.status();
  if (software->has_value()) {
    HostSoftware set;
    if (!DecodeSoftwareSet(**software, &set)) {
      return Status::Corruption("unparsable software set of " + asset.id() + " node " +
                                ref.node_id());
    }
    context.ingestor.software().Describe(set, source.facts.mutable_software());
  }
  auto node = GetRecord<v1::NodeState>(context.store, Table::kNodes, ref.node_id());
  if (!node.ok()) return node.status();
  if (node->has_value()) source.version = (*node)->software_version();
  return source;
}

// Why an asset has no GLPI computer inventory; empty when it has one.
std::string NotExportable(const v1::Asset& asset) {
  if (GlpiExportSourceIndex(asset) >= 0) return "";
  if (asset.asset_class() == "monitor" && !asset.parent_id().empty()) {
    return "a monitor: written in the inventory of " + asset.parent_id() + " (monitors)";
  }
  return "no inventory agent reports it (only discovered: GLPI's network device and "
         "printer formats, netinventory, are not written)";
}

// The named assets, or every live one with --all.
Result<std::vector<v1::Asset>> SelectAssets(const v1::AdminRequest& request, AdminContext& context,
                                            bool all) {
  std::vector<v1::Asset> assets;
  if (all) {
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
      assets.push_back(a);
      return true;
    }));
    return assets;
  }
  for (const auto& name : request.args()) {
    auto asset = LookupAsset(context.store, name);
    if (!asset.ok()) return asset.status();
    assets.push_back(std::move(*asset));
  }
  return assets;
}

class ExportCommand : public AdminCommand {
 public:
  std::string Name() const override { return "export"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "export",
        "Inventory",
        {{"", "--format FORMAT ASSET...|--all",
          "write the named assets (or --all) in a standard format: csv, the asset register "
          "(the columns `import` reads); glpi, GLPI native inventory JSON",
          std::vector<OptionSpec>{
              {"format",
               ValueKind::kChoice,
               "FORMAT",
               "csv: the asset register; glpi: GLPI native inventory JSON (one document per "
               "asset) (required)",
               {"csv", "glpi"}},
              {"all", ValueKind::kSwitch, "", "every asset (glpi: every one that can be written)"},
              {"output-dir", ValueKind::kText, "DIR",
               "glpi: write one file per asset, ASSET_ID.json, into DIR (for glpi-injector "
               "--directory); else standard output"}},
          0, -1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const auto format = Option(request, "format");
    if (!format) return Status::InvalidArgument("export needs --format (csv or glpi)");
    const bool all = Option(request, "all").has_value();
    if (all == (request.args_size() > 0)) {
      return Status::InvalidArgument(
          "export: name the assets or give --all (export --format FORMAT ASSET...|--all)");
    }
    if (*format == "csv") {
      if (Option(request, "output-dir")) {
        return Status::InvalidArgument(
            "export: --output-dir is for --format glpi; csv is one "
            "file, on standard output");
      }
      auto assets = SelectAssets(request, context, all);
      if (!assets.ok()) return assets.status();
      return nlohmann::json{
          {"format", *format}, {"count", assets->size()}, {"text", RegisterCsv(*assets)}};
    }
    // glpi (the table refuses any other format before Run).
    if (!all && request.args_size() != 1) {
      return Status::InvalidArgument("export --format glpi takes one ASSET or --all");
    }
    nlohmann::json out = {{"format", *format},
                          {"inventories", nlohmann::json::array()},
                          {"skipped", nlohmann::json::array()}};
    auto add = [&](const v1::Asset& asset) -> Status {
      const int index = GlpiExportSourceIndex(asset);
      if (index < 0) {
        out["skipped"].push_back({{"asset", asset.id()}, {"reason", NotExportable(asset)}});
        return Status::Ok();
      }
      auto source = LoadSource(context, asset, asset.sources(index));
      if (!source.ok()) return source.status();
      out["inventories"].push_back({{"asset", asset.id()},
                                    {"source", source->node_id},
                                    {"inventory", GlpiInventory(asset, *source)}});
      return Status::Ok();
    };
    if (!all) {
      auto asset = LookupAsset(context.store, request.args(0));
      if (!asset.ok()) return asset.status();
      if (const std::string why = NotExportable(*asset); !why.empty()) {
        return Status::InvalidArgument(asset->id() +
                                       " cannot be exported as a GLPI computer: " + why);
      }
      ESTATE_RETURN_IF_ERROR(add(*asset));
      return out;
    }
    Status failed;
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& asset) {
      failed = add(asset);
      return failed.ok();
    }));
    ESTATE_RETURN_IF_ERROR(failed);
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace estate::collector
