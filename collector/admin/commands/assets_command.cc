// estatectl assets [filters]: every asset's summary, optionally filtered.
#include "collector/admin/admin_args.h"
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/ingest/ingestor.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class AssetsCommand : public AdminCommand {
 public:
  std::string Name() const override { return "assets"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "assets",
        "Inventory",
        {{"", "[filters]", "list assets (every filter must match)",
          Concat(AssetFilterOptions(),
                 std::vector<OptionSpec>{{"limit", ValueKind::kNumber, "N", "at most N assets"}}),
          0, 0}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    auto filter = AssetFilter::FromRequest(context.store, request, UnixNow());
    if (!filter.ok()) return filter.status();
    uint64_t limit = UINT64_MAX;
    if (auto l = Option(request, "limit")) {
      auto parsed = ParseUint(*l);
      if (!parsed) return Status::InvalidArgument("--limit needs a number");
      limit = *parsed;
    }
    nlohmann::json assets = nlohmann::json::array();
    Status failure;
    Status st =
        context.store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view value) {
          v1::Asset asset;
          if (!asset.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            failure = Status::Corruption("unparsable asset record");
            return false;
          }
          if (!filter->Matches(asset)) return true;
          if (filter->NeedsFacts()) {
            auto has = filter->HasSoftware(context.store, context.ingestor.software().catalogue(),
                                           asset.id());
            if (!has.ok()) {
              failure = has.status();
              return false;
            }
            if (!*has) return true;
          }
          assets.push_back(ProtoToJson(asset));
          return assets.size() < limit;
        });
    ESTATE_RETURN_IF_ERROR(st);
    ESTATE_RETURN_IF_ERROR(failure);
    return nlohmann::json{{"assets", std::move(assets)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeAssetsCommand() { return std::make_unique<AssetsCommand>(); }

}  // namespace estate::collector
