// estatectl rules: runs the lifecycle rules (missing, overdue) and the ITAM
// rules (licence usage, expiries) and the verification rules now instead of waiting for the
// collector's next periodic run.
#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/itam_rules.h"
#include "collector/admin/verification.h"
#include "collector/ingest/lifecycle_rules.h"

namespace estate::collector {
namespace {

class RulesCommand : public AdminCommand {
 public:
  std::string Name() const override { return "rules"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "rules",
        "Lifecycle and custody",
        {{"", "", "run the missing, overdue, licence, expiry and verification rules now",
          std::vector<OptionSpec>{}, 0, 0}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext& context) override {
    auto lifecycle = RunLifecycleRules(context.store, context.ingestor, context.caller.Actor());
    if (!lifecycle.ok()) return lifecycle.status();
    auto itam = RunItamRules(context.store, context.ingestor, context.caller.Actor(), UnixNow());
    if (!itam.ok()) return itam.status();
    lifecycle->update(*itam);
    auto verify =
        RunVerificationRules(context.store, context.ingestor, context.caller.Actor(), UnixNow());
    if (!verify.ok()) return verify.status();
    lifecycle->update(*verify);
    return lifecycle;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeRulesCommand() { return std::make_unique<RulesCommand>(); }

}  // namespace estate::collector
