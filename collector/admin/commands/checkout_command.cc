// estatectl checkout ASSET --to PERSON [--due DATE] [--reason WHY]
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/lifecycle.h"

namespace estate::collector {
namespace {

class CheckoutCommand : public AdminCommand {
 public:
  std::string Name() const override { return "checkout"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "checkout",
        "Lifecycle and custody",
        {{"", "ASSET --to PERSON", "hand an asset out",
          std::vector<OptionSpec>{{"to", ValueKind::kText, "PERSON", "who takes it"},
                                  {"due", ValueKind::kDate, "DATE", "when it is due back"},
                                  {"reason", ValueKind::kText, "WHY", "why, for the history"}},
          1, 1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kTechnician; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1)
      return Status::InvalidArgument("usage: checkout ASSET --to PERSON [--due DATE]");
    const std::string holder = OptionOr(request, "to", "");
    if (holder.empty()) return Status::InvalidArgument("checkout needs --to PERSON");
    int64_t due = 0;
    if (auto text = Option(request, "due")) {
      auto parsed = ParseTime(*text, /*end_of_day=*/true);
      if (!parsed.ok()) return parsed.status();
      due = *parsed;
    }
    return ChangeAsset(
        context, request.args(0),
        [&](ReconcileContext& ctx, v1::Asset& asset, AssetChangeNote* note) -> Status {
          if (asset.state() == lifecycle::kCheckedOut) {
            return Status::FailedPrecondition(asset.id() + " is already checked out to " +
                                              asset.custody().holder());
          }
          // A device only discovery knew of would become managed: that is approval.
          if (asset.state().empty()) {
            ESTATE_RETURN_IF_ERROR(
                context.RequireRole(Role::kAdmin, "`checkout` of a discovered device"));
          }
          // Only an asset in stock or deployed can go out.
          std::string from = asset.state();
          if (from.empty()) from = std::string(lifecycle::kInStock);
          ESTATE_RETURN_IF_ERROR(lifecycle::CheckTransition(from, lifecycle::kCheckedOut));
          if (due != 0 && due < ctx.now_s()) {
            return Status::InvalidArgument("--due is in the past");
          }
          auto* custody = asset.mutable_custody();
          custody->set_holder(holder);
          custody->set_checked_out_at(ctx.now_s());
          custody->set_due(due);
          custody->set_checked_out_by(ctx.actor);
          custody->set_previous_state(from);
          asset.set_overdue_raised(false);
          asset.set_state(std::string(lifecycle::kCheckedOut));
          asset.set_managed(true);
          note->kind = "checked_out";
          note->raise_event = true;
          note->summary = "checked out to " + holder +
                          (due ? ", due " + FormatTime(due) : std::string()) +
                          (request.options().count("reason") ? ": " + request.options().at("reason")
                                                             : std::string());
          return Status::Ok();
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeCheckoutCommand() { return std::make_unique<CheckoutCommand>(); }

}  // namespace estate::collector
