// The admin commands over enrolled nodes. Unlike the built-in commands they
// act on live sessions as well as on the store, so they are built with the
// daemon's NodeDirectory and added to the registry by estated's main.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_NODE_COMMANDS_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_NODE_COMMANDS_H_

#include <memory>

#include "collector/admin/admin_command.h"
#include "collector/auth/node_directory.h"

namespace estate::collector {

// estatectl agents: enrolled nodes, last seen, last address, revoked or not.
// Their option tables, for estatectl, which has no node directory.
const CommandSpec& AgentsCommandSpec();
const CommandSpec& RevokeCommandSpec();
const CommandSpec& ReassignCommandSpec();
std::unique_ptr<AdminCommand> MakeAgentsCommand(NodeDirectory& nodes);
// estatectl revoke NODE [--machine] [--forget]: cut a node off now; --machine
// bans its machine's hardware identity too; --forget lets it enroll again.
std::unique_ptr<AdminCommand> MakeRevokeCommand(NodeDirectory& nodes);
// estatectl reassign ASSET --node NODE: the node now reports for the asset
// (a reinstalled machine); the asset's previous nodes are detached and revoked.
std::unique_ptr<AdminCommand> MakeReassignCommand(NodeDirectory& nodes);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_NODE_COMMANDS_H_
