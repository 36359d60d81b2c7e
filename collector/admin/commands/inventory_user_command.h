// estatectl inventory-user: the users foreign inventory agents authenticate
// as (HTTP basic auth on the inventory listener). Built with the daemon's
// InventoryUsers and added to the registry by estated's main, like the node
// commands.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_INVENTORY_USER_COMMAND_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_INVENTORY_USER_COMMAND_H_

#include <memory>

#include "collector/admin/admin_command.h"
#include "collector/auth/inventory_users.h"

namespace estate::collector {

// Its option table, for estatectl, which has no InventoryUsers.
const CommandSpec& InventoryUserCommandSpec();
// inventory-user add NAME [--password-stdin] | list | revoke NAME.
std::unique_ptr<AdminCommand> MakeInventoryUserCommand(InventoryUsers& users);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_INVENTORY_USER_COMMAND_H_
