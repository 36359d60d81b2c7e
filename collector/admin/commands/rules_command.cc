// estatectl rules: runs the lifecycle rules (missing, overdue) now instead of
// waiting for the collector's next periodic run.
#include "collector/admin/commands/builtin_commands.h"
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
        {{"", "", "run the missing and overdue rules now", std::vector<OptionSpec>{}, 0, 0}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext& context) override {
    return RunLifecycleRules(context.store, context.ingestor, context.caller.Actor());
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeRulesCommand() { return std::make_unique<RulesCommand>(); }

}  // namespace estate::collector
