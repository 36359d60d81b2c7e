// estatectl show ASSET: one asset with its sources' facts.
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/store/keys.h"
#include "estate/proto_json.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

class ShowCommand : public AdminCommand {
 public:
  std::string Name() const override { return "show"; }
  std::string Help() const override { return "show ASSET (id, host name, MAC, IP, serial, tag)"; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: show ASSET");
    auto asset = LookupAsset(context.store, request.args(0));
    if (!asset.ok()) return asset.status();
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
