// estatectl ignore device ASSET --reason WHY | ignore software NAME --reason WHY:
// silences a shadow finding, keeping who and why.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/commands/policy_rescan.h"
#include "collector/store/keys.h"

namespace estate::collector {
namespace {

class IgnoreCommand : public AdminCommand {
 public:
  std::string Name() const override { return "ignore"; }
  std::string Help() const override {
    return "ignore device ASSET --reason WHY | ignore software NAME --reason WHY";
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 2) {
      return Status::InvalidArgument("usage: ignore device|software WHAT --reason WHY");
    }
    const std::string reason = OptionOr(request, "reason", "");
    if (reason.empty()) return Status::InvalidArgument("ignore needs --reason");
    const std::string what = request.args(1);
    if (request.args(0) == "device") {
      return ChangeAsset(
          context, what,
          [&](ReconcileContext& ctx, v1::Asset& asset, AssetChangeNote* note) -> Status {
            if (asset.managed()) {
              return Status::FailedPrecondition(asset.id() + " is managed, not a shadow device");
            }
            asset.set_ignored_reason(reason + " (" + ctx.actor + ")");
            note->kind = "ignored";
            note->summary = "shadow device ignored: " + reason;
            return Status::Ok();
          });
    }
    if (request.args(0) != "software") {
      return Status::InvalidArgument("usage: ignore device|software WHAT --reason WHY");
    }
    return context.ingestor.Mutate(
        context.caller.Actor(),
        [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          ctx.batch.Put(Table::kPolicy, IgnoreKey("software", what),
                        reason + " (" + ctx.actor + ")");
          auto rescanned = RescanSoftwarePolicy(ctx, context.store, std::nullopt, "", what);
          if (!rescanned.ok()) return rescanned.status();
          return nlohmann::json{{"ignored", what},
                                {"reason", reason},
                                {"assets_rechecked", rescanned->assets_rechecked},
                                {"installs_matching", rescanned->installs_matching}};
        },
        /*reload_policy=*/true);
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeIgnoreCommand() { return std::make_unique<IgnoreCommand>(); }

}  // namespace estate::collector
