// Factories of the built-in admin commands, one per file in this folder.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_BUILTIN_COMMANDS_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_BUILTIN_COMMANDS_H_

#include <memory>

#include "collector/admin/admin_command.h"

namespace estate::collector {

std::unique_ptr<AdminCommand> MakeAssetsCommand();
std::unique_ptr<AdminCommand> MakeShowCommand();
std::unique_ptr<AdminCommand> MakeExportCommand();
std::unique_ptr<AdminCommand> MakeHistoryCommand();
std::unique_ptr<AdminCommand> MakeStatsCommand();
std::unique_ptr<AdminCommand> MakeSightingsCommand();
std::unique_ptr<AdminCommand> MakeBackupCommand();
std::unique_ptr<AdminCommand> MakeShadowCommand();
std::unique_ptr<AdminCommand> MakeApproveCommand();
std::unique_ptr<AdminCommand> MakeIgnoreCommand();
std::unique_ptr<AdminCommand> MakeDriftCommand();
std::unique_ptr<AdminCommand> MakeAcceptCommand();
std::unique_ptr<AdminCommand> MakePolicyCommand();
std::unique_ptr<AdminCommand> MakeRegisterCommand();
std::unique_ptr<AdminCommand> MakeCheckoutCommand();
std::unique_ptr<AdminCommand> MakeCheckinCommand();
std::unique_ptr<AdminCommand> MakeSetCommand();
std::unique_ptr<AdminCommand> MakeStateCommand();
std::unique_ptr<AdminCommand> MakeMergeCommand();
std::unique_ptr<AdminCommand> MakeSplitCommand();
std::unique_ptr<AdminCommand> MakeEventsCommand();
std::unique_ptr<AdminCommand> MakeReportCommand();
std::unique_ptr<AdminCommand> MakeRulesCommand();
std::unique_ptr<AdminCommand> MakeClassCommand();
std::unique_ptr<AdminCommand> MakePersonCommand();
std::unique_ptr<AdminCommand> MakePeopleCommand();
std::unique_ptr<AdminCommand> MakeCheckCommand();
std::unique_ptr<AdminCommand> MakeValueCommand();
std::unique_ptr<AdminCommand> MakeLicenceCommand();
std::unique_ptr<AdminCommand> MakeComplianceCommand();
std::unique_ptr<AdminCommand> MakeContractCommand();
std::unique_ptr<AdminCommand> MakeLocationCommand();
std::unique_ptr<AdminCommand> MakeAuditCommand();
std::unique_ptr<AdminCommand> MakeImportCommand();
std::unique_ptr<AdminCommand> MakeExportCommand();

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_BUILTIN_COMMANDS_H_
