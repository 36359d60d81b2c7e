// estatectl show ASSET: one asset with its sources' facts.
#include <optional>

#include "collector/admin/admin_args.h"
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/store/keys.h"
#include "estate/proto_json.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

// The record as it was at `when`: the snapshot of the last history entry at
// or before it (every entry carries the whole record after its change).
Result<nlohmann::json> ShowAt(AdminContext& context, const v1::Asset& asset,
                              const std::string& when) {
  auto at = ParseTime(when, /*end_of_day=*/true);
  if (!at.ok()) return at.status();
  std::optional<v1::AssetEvent> last;
  Status bad;
  ESTATE_RETURN_IF_ERROR(context.store.Scan(
      Table::kHistory, HistoryPrefix(asset.id()), [&](std::string_view, std::string_view value) {
        v1::AssetEvent event;
        if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable history record");
          return false;
        }
        if (event.at() > *at) return false;  // history is in time order
        if (!event.snapshot().id().empty()) last = std::move(event);
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  if (!last) {
    return Status::NotFound(asset.id() + " has no recorded state at " + FormatTime(*at) +
                            " (first seen " + FormatTime(asset.first_seen()) + ")");
  }
  nlohmann::json out = ProtoToJson(last->snapshot());
  out["as_of"] = FormatTime(*at);
  out["state_since"] = FormatTime(last->at());
  return out;
}

class ShowCommand : public AdminCommand {
 public:
  std::string Name() const override { return "show"; }
  std::string Help() const override {
    return "show ASSET [--at DATE] (by id, host name, MAC, IP, serial, tag)";
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: show ASSET");
    auto asset = LookupAsset(context.store, request.args(0));
    if (!asset.ok()) return asset.status();
    if (auto at = Option(request, "at")) return ShowAt(context, *asset, *at);
    nlohmann::json out = ProtoToJson(*asset);
    nlohmann::json facts = nlohmann::json::object();
    Status parse_error;
    Status st = context.store.Scan(
        Table::kFacts, FactsPrefix(asset->id()), [&](std::string_view key, std::string_view value) {
          v1::HostFacts host_facts;
          if (!host_facts.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            parse_error = Status::Corruption("unparsable facts record");
            return false;
          }
          std::string node(key.substr(FactsPrefix(asset->id()).size()));
          facts[node] = ProtoToJson(host_facts);
          return true;
        });
    ESTATE_RETURN_IF_ERROR(st);
    ESTATE_RETURN_IF_ERROR(parse_error);
    out["facts"] = std::move(facts);
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace estate::collector
