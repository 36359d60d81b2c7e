// The subcommands of estate-agent. Each takes the arguments after its own name
// and returns the process exit code (0 ok, 1 failure, 2 usage error).
#ifndef ESTATE_AGENT_COMMANDS_COMMANDS_H_
#define ESTATE_AGENT_COMMANDS_COMMANDS_H_

#include <string>
#include <vector>

namespace estate::agent {

using Args = std::vector<std::string>;

int RunInventoryCommand(const Args& args);  // agent/commands/inventory_command.cc
int RunPushCommand(const Args& args);       // agent/commands/push_command.cc
int RunDaemonCommand(const Args& args);     // agent/commands/run_command.cc

}  // namespace estate::agent

namespace estate::plugins {

using Args = std::vector<std::string>;

int RunArpScanCommand(const Args& args);    // plugins/arp/arp_scan_command.cc
int RunProbeScanCommand(const Args& args);  // plugins/probe/probe_scan_command.cc
int RunSnmpScanCommand(const Args& args);   // plugins/snmp/snmp_scan_command.cc
int RunListenCommand(const Args& args);     // plugins/passive/listen_command.cc

}  // namespace estate::plugins

#endif  // ESTATE_AGENT_COMMANDS_COMMANDS_H_
