// estatectl ignore device [ASSET...] [filters] --reason WHY [--dry-run] | ignore software NAME
// --reason WHY: silences a shadow finding, keeping who and why.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/commands/policy_rescan.h"
#include "collector/store/keys.h"

namespace estate::collector {
namespace {

class IgnoreCommand : public AdminCommand {
 public:
  std::string Name() const override { return "ignore"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "ignore",
        "Shadow IT and drift",
        {{"device", "device [ASSET...] [filters] --reason WHY",
          "stop flagging shadow devices: the ASSETs named, or every shadow device the filters "
          "match",
          Concat(AssetFilterOptions({"managed", "shadow"}),
                 std::vector<OptionSpec>{{"reason", ValueKind::kText, "WHY", "why (required)"},
                                         {"dry-run", ValueKind::kSwitch, "",
                                          "print what would change, change nothing"}}),
          1, -1},
         {"software", "software NAME --reason WHY", "stop flagging a package",
          std::vector<OptionSpec>{{"reason", ValueKind::kText, "WHY", "why (required)"}}, 2, 2}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const std::string reason = OptionOr(request, "reason", "");
    if (reason.empty()) return Status::InvalidArgument("ignore needs --reason");
    if (request.args_size() > 0 && request.args(0) == "device") {
      auto filter =
          AssetFilter::FromRequest(context.store, request, UnixNow(), {"managed", "shadow"});
      if (!filter.ok()) return filter.status();
      BulkSelection selection;
      selection.names.assign(request.args().begin() + 1, request.args().end());
      selection.filter = &*filter;
      selection.dry_run = Option(request, "dry-run").has_value();
      // With filters: the shadow devices they match that are not ignored yet.
      selection.eligible = [](ReconcileContext&, const v1::Asset& a) {
        return !a.managed() && a.ignored_reason().empty();
      };
      return ChangeAssets(
          context, selection,
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
    if (request.args_size() != 2 || request.args(0) != "software") {
      return Status::InvalidArgument("usage: ignore device|software WHAT --reason WHY");
    }
    const std::string what = request.args(1);
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
