// estatectl register --class C [--tag T] [--serial S] [--mac M] [--hostname H]
//   [--state STATE] [key=value...]: an asset no scan finds (a monitor, a phone
//   in a drawer), or one registered before it is ever plugged in.
#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class RegisterCommand : public AdminCommand {
 public:
  std::string Name() const override { return "register"; }
  std::string Help() const override {
    return "register --class C [--tag T] [--serial S] [--mac M] [--hostname H] [--vendor V] "
           "[--model M] [--state in_stock] [key=value...]";
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    v1::Asset asset;
    asset.set_asset_class(OptionOr(request, "class", ""));
    if (asset.asset_class().empty()) return Status::InvalidArgument("register needs --class");
    const std::string state = OptionOr(request, "state", std::string(lifecycle::kInStock));
    ESTATE_RETURN_IF_ERROR(lifecycle::CheckTransition("", state));
    asset.set_state(state);
    asset.set_managed(true);
    asset.set_serial(OptionOr(request, "serial", ""));
    asset.set_hostname(OptionOr(request, "hostname", ""));
    asset.set_vendor(OptionOr(request, "vendor", ""));
    asset.set_model(OptionOr(request, "model", ""));
    if (auto mac = Option(request, "mac")) {
      auto normalized = NormalizeMac(*mac);
      if (!normalized) return Status::InvalidArgument("'" + *mac + "' is not a MAC address");
      asset.add_macs(*normalized);
    }
    if (auto tag = Option(request, "tag")) (*asset.mutable_attributes())["asset_tag"] = *tag;
    for (const auto& arg : request.args()) {
      const size_t eq = arg.find('=');
      if (eq == std::string::npos || eq == 0) {
        return Status::InvalidArgument("'" + arg + "' is not key=value");
      }
      (*asset.mutable_attributes())[arg.substr(0, eq)] = arg.substr(eq + 1);
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto id = AllocateAssetId(ctx.batch);
          if (!id.ok()) return id.status();
          asset.set_id(*id);
          asset.set_first_seen(ctx.now_s());
          std::vector<IdentityConflict> conflicts;
          ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, v1::Asset(), asset, &conflicts));
          if (!conflicts.empty()) {
            const auto& c = conflicts.front();
            return Status::AlreadyExists(c.kind + " " + c.value + " already belongs to " + c.owner +
                                         ": use set/state on it instead");
          }
          PutRecord(ctx.batch, Table::kAssets, asset.id(), asset);
          v1::Event event;
          event.set_kind("registered");
          event.set_severity("info");
          event.set_source(ctx.actor);
          event.set_summary("registered " + asset.asset_class() + " in state " + state);
          ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
          return ProtoToJson(asset);
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeRegisterCommand() { return std::make_unique<RegisterCommand>(); }

}  // namespace estate::collector
