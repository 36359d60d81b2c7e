// estatectl export --format glpi ASSET|--all: assets in a format another tool
// imports. The collector answers with the documents; estatectl prints them or
// writes one file per asset (--output-dir), as GLPI's glpi-injector reads a
// directory. Read-only.
#include "collector/admin/admin_args.h"
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/glpi_export.h"
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

class ExportCommand : public AdminCommand {
 public:
  std::string Name() const override { return "export"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "export",
        "Inventory",
        {{"", "ASSET|--all", "assets in another tool's import format (GLPI inventory JSON)",
          std::vector<OptionSpec>{
              {"format", ValueKind::kChoice, "FORMAT",
               "glpi: GLPI native inventory JSON (one document per asset)", Formats()},
              {"all", ValueKind::kSwitch, "", "every asset that can be written"},
              {"output-dir", ValueKind::kText, "DIR",
               "write one file per asset, ASSET_ID.json, into DIR (for glpi-injector "
               "--directory); else standard output"}},
          0, 1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const auto format = Option(request, "format");
    if (!format) return Status::InvalidArgument("export needs --format (glpi)");
    const bool all = Option(request, "all").has_value();
    if (all == (request.args_size() == 1)) {
      return Status::InvalidArgument("usage: export --format FORMAT ASSET|--all");
    }
    // One writer per format; the dispatch stays a plain branch.
    if (*format != "glpi") return Status::InvalidArgument("unknown format '" + *format + "'");
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

 private:
  static std::vector<std::string> Formats() { return {"glpi"}; }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace estate::collector
