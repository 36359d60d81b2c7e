// estatectl assets: every asset's summary, optionally filtered.
#include "collector/admin/admin_command.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class AssetsCommand : public AdminCommand {
 public:
  std::string Name() const override { return "assets"; }
  std::string Help() const override {
    return "list assets [--class C] [--os TEXT] [--hostname TEXT] [--limit N]";
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const auto& options = request.options();
    auto option = [&](const char* name) {
      auto it = options.find(name);
      return it == options.end() ? std::string() : ToLower(it->second);
    };
    const std::string asset_class = option("class");
    const std::string os = option("os");
    const std::string hostname = option("hostname");
    uint64_t limit = UINT64_MAX;
    if (!option("limit").empty()) {
      auto parsed = ParseUint(option("limit"));
      if (!parsed) return Status::InvalidArgument("--limit needs a number");
      limit = *parsed;
    }
    nlohmann::json assets = nlohmann::json::array();
    Status parse_error;
    Status st =
        context.store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view value) {
          v1::Asset asset;
          if (!asset.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            parse_error = Status::Corruption("unparsable asset record");
            return false;
          }
          if (!asset_class.empty() && ToLower(asset.asset_class()) != asset_class) return true;
          if (!os.empty() && ToLower(asset.os()).find(os) == std::string::npos) return true;
          if (!hostname.empty() && ToLower(asset.hostname()).find(hostname) == std::string::npos) {
            return true;
          }
          assets.push_back(ProtoToJson(asset));
          return assets.size() < limit;
        });
    ESTATE_RETURN_IF_ERROR(st);
    ESTATE_RETURN_IF_ERROR(parse_error);
    return nlohmann::json{{"assets", std::move(assets)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeAssetsCommand() { return std::make_unique<AssetsCommand>(); }

}  // namespace estate::collector
