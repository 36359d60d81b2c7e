// The explicit list of admin commands: a new command adds its file and one line here.
#include "collector/admin/commands/builtin_commands.h"

#include "collector/admin/command_registry.h"

namespace estate::collector {

CommandRegistry MakeBuiltinCommands() {
  CommandRegistry registry;
  registry.Add(MakeAssetsCommand());
  registry.Add(MakeShowCommand());
  registry.Add(MakeExportCommand());
  registry.Add(MakeHistoryCommand());
  registry.Add(MakeStatsCommand());
  registry.Add(MakeSightingsCommand());
  registry.Add(MakeBackupCommand());
  registry.Add(MakeShadowCommand());
  registry.Add(MakeApproveCommand());
  registry.Add(MakeIgnoreCommand());
  registry.Add(MakeDriftCommand());
  registry.Add(MakeAcceptCommand());
  registry.Add(MakePolicyCommand());
  registry.Add(MakeRegisterCommand());
  registry.Add(MakeCheckoutCommand());
  registry.Add(MakeCheckinCommand());
  registry.Add(MakeSetCommand());
  registry.Add(MakeStateCommand());
  registry.Add(MakeMergeCommand());
  registry.Add(MakeSplitCommand());
  registry.Add(MakeEventsCommand());
  registry.Add(MakeReportCommand());
  registry.Add(MakeRulesCommand());
  registry.Add(MakeClassCommand());
  registry.Add(MakePersonCommand());
  registry.Add(MakePeopleCommand());
  registry.Add(MakeCheckCommand());
  registry.Add(MakeValueCommand());
  registry.Add(MakeLicenceCommand());
  registry.Add(MakeComplianceCommand());
  registry.Add(MakeContractCommand());
  registry.Add(MakeLocationCommand());
  registry.Add(MakeAuditCommand());
  registry.Add(MakeImportCommand());
  registry.Add(MakeExportCommand());
  return registry;
}

}  // namespace estate::collector
