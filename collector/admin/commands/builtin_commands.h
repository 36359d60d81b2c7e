// Factories of the built-in admin commands, one per file in this folder.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_BUILTIN_COMMANDS_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_BUILTIN_COMMANDS_H_

#include <memory>

#include "collector/admin/admin_command.h"

namespace estate::collector {

std::unique_ptr<AdminCommand> MakeAssetsCommand();
std::unique_ptr<AdminCommand> MakeShowCommand();
std::unique_ptr<AdminCommand> MakeHistoryCommand();
std::unique_ptr<AdminCommand> MakeStatsCommand();
std::unique_ptr<AdminCommand> MakeSightingsCommand();
std::unique_ptr<AdminCommand> MakeBackupCommand();

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_BUILTIN_COMMANDS_H_
