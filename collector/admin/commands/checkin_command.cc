// estatectl checkin ASSET [--condition good|damaged|lost] [--state STATE] [--notes TEXT]
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/lifecycle.h"

namespace estate::collector {
namespace {

class CheckinCommand : public AdminCommand {
 public:
  std::string Name() const override { return "checkin"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "checkin",
        "Lifecycle and custody",
        {{"", "ASSET", "take an asset back",
          std::vector<OptionSpec>{
              {"condition",
               ValueKind::kChoice,
               "CONDITION",
               "good, or damaged (goes to repair)",
               {"good", "damaged"}},
              {"state", ValueKind::kChoice, "STATE",
               "the state it goes to (default: where it came from)", LifecycleStateChoices()},
              {"notes", ValueKind::kText, "TEXT", "notes on its return"}},
          1, 1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kTechnician; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1)
      return Status::InvalidArgument("usage: checkin ASSET [--condition C]");
    const std::string condition = OptionOr(request, "condition", "good");
    if (condition != "good" && condition != "damaged") {
      return Status::InvalidArgument("--condition must be good or damaged");
    }
    const std::string requested = OptionOr(request, "state", "");
    return ChangeAsset(
        context, request.args(0),
        [&](ReconcileContext&, v1::Asset& asset, AssetChangeNote* note) -> Status {
          if (asset.state() != lifecycle::kCheckedOut) {
            return Status::FailedPrecondition(
                asset.id() + " is not checked out (state " +
                (asset.state().empty() ? "discovered" : asset.state()) + ")");
          }
          // A damaged return goes to repair; else back where it came from.
          std::string to = requested;
          if (to.empty()) {
            to = condition == "damaged"                     ? std::string(lifecycle::kInRepair)
                 : asset.custody().previous_state().empty() ? std::string(lifecycle::kInStock)
                                                            : asset.custody().previous_state();
          }
          ESTATE_RETURN_IF_ERROR(lifecycle::CheckTransition(asset.state(), to));
          const std::string holder = asset.custody().holder();
          asset.clear_custody();
          asset.set_overdue_raised(false);
          asset.set_state(to);
          if (auto notes = Option(request, "notes")) {
            (*asset.mutable_attributes())["notes"] = *notes;
          }
          note->kind = "checked_in";
          note->raise_event = true;
          note->summary = "checked in from " + holder + ", condition " + condition + ", now " + to;
          return Status::Ok();
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeCheckinCommand() { return std::make_unique<CheckinCommand>(); }

}  // namespace estate::collector
