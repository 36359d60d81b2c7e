// estatectl history ASSET: every recorded change to one asset, oldest first.
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/store/keys.h"
#include "estate/proto_json.h"

namespace estate::collector {
namespace {

class HistoryCommand : public AdminCommand {
 public:
  std::string Name() const override { return "history"; }
  const CommandSpec& Spec() const override {
    static const auto* spec =
        new CommandSpec{"history",
                        "Inventory",
                        {{"", "ASSET", "every recorded change to an asset, and who made it",
                          std::vector<OptionSpec>{}, 1, 1}},
                        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: history ASSET");
    auto asset = LookupAsset(context.store, request.args(0));
    if (!asset.ok()) return asset.status();
    nlohmann::json events = nlohmann::json::array();
    Status parse_error;
    Status st = context.store.Scan(
        Table::kHistory, HistoryPrefix(asset->id()), [&](std::string_view, std::string_view value) {
          v1::AssetEvent event;
          if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            parse_error = Status::Corruption("unparsable history record");
            return false;
          }
          events.push_back(ProtoToJson(event));
          return true;
        });
    ESTATE_RETURN_IF_ERROR(st);
    ESTATE_RETURN_IF_ERROR(parse_error);
    return nlohmann::json{{"asset_id", asset->id()}, {"events", std::move(events)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeHistoryCommand() { return std::make_unique<HistoryCommand>(); }

}  // namespace estate::collector
