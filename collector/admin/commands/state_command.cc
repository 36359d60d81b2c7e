// estatectl state ASSET STATE --reason WHY: a validated lifecycle move.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/lifecycle.h"

namespace estate::collector {
namespace {

class StateCommand : public AdminCommand {
 public:
  std::string Name() const override { return "state"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "state",
        "Lifecycle and custody",
        {{"", "ASSET STATE",
          "move an asset to ordered, in_stock, deployed, in_repair, retired or disposed",
          std::vector<OptionSpec>{{"reason", ValueKind::kText, "WHY", "why (required)"}}, 2, 2}},
        /*list=*/false};
    return *spec;
  }

  // The least a move to this state can need (coming from in_repair); Run checks
  // the move itself against the stored state, on the writer thread where that
  // state cannot change in between.
  Role RequiredRole(const v1::AdminRequest& request) const override {
    if (request.args_size() != 2) return Role::kTechnician;  // Run explains the usage
    return RoleForStateChange(lifecycle::kInRepair, request.args(1));
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 2)
      return Status::InvalidArgument("usage: state ASSET STATE --reason WHY");
    const std::string to = request.args(1);
    const std::string reason = OptionOr(request, "reason", "");
    if (reason.empty()) return Status::InvalidArgument("state needs --reason: history keeps why");
    if (to == lifecycle::kCheckedOut) {
      return Status::InvalidArgument("use checkout ASSET --to PERSON to check an asset out");
    }
    return ChangeAsset(
        context, request.args(0),
        [&](ReconcileContext&, v1::Asset& asset, AssetChangeNote* note) -> Status {
          if (asset.state() == lifecycle::kCheckedOut) {
            return Status::FailedPrecondition(asset.id() + " is checked out to " +
                                              asset.custody().holder() + ": check it in first");
          }
          ESTATE_RETURN_IF_ERROR(lifecycle::CheckTransition(asset.state(), to));
          ESTATE_RETURN_IF_ERROR(context.RequireRole(
              RoleForStateChange(asset.state(), to),
              "`state` " + (asset.state().empty() ? std::string("discovered") : asset.state()) +
                  " -> " + to));
          note->kind = "state_changed";
          note->raise_event = true;
          note->summary =
              (asset.state().empty() ? "discovered" : asset.state()) + " -> " + to + ": " + reason;
          asset.set_state(to);
          asset.set_managed(true);  // an asset in the lifecycle is ours
          return Status::Ok();
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeStateCommand() { return std::make_unique<StateCommand>(); }

}  // namespace estate::collector
