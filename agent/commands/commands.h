// The subcommands of estate-agent. Each takes the arguments after its own name
// and returns the process exit code (0 ok, 1 failure, 2 usage error).
#ifndef ESTATE_AGENT_COMMANDS_COMMANDS_H_
#define ESTATE_AGENT_COMMANDS_COMMANDS_H_

#include <string>
#include <vector>

// The scanner commands (estate::plugins::Run*Command) implement the
// interface the plugins declare themselves.
#include "plugins/scanner_command.h"

namespace estate::agent {

using Args = std::vector<std::string>;

int RunInventoryCommand(const Args& args);  // agent/commands/inventory_command.cc
int RunPushCommand(const Args& args);       // agent/commands/push_command.cc
int RunDaemonCommand(const Args& args);     // agent/commands/run_command.cc

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COMMANDS_COMMANDS_H_
