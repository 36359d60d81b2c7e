// The explicit list of admin commands: a new command adds its file and one line here.
#include "collector/admin/commands/builtin_commands.h"

#include "collector/admin/command_registry.h"

namespace estate::collector {

CommandRegistry MakeBuiltinCommands() {
  CommandRegistry registry;
  registry.Add(MakeAssetsCommand());
  registry.Add(MakeShowCommand());
  registry.Add(MakeHistoryCommand());
  registry.Add(MakeStatsCommand());
  registry.Add(MakeSightingsCommand());
  registry.Add(MakeBackupCommand());
  return registry;
}

}  // namespace estate::collector
