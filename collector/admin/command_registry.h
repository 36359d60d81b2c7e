// The admin commands the collector offers, built once in main and passed by
// reference. Thread-safe after construction (lookups only).
#ifndef ESTATE_COLLECTOR_ADMIN_COMMAND_REGISTRY_H_
#define ESTATE_COLLECTOR_ADMIN_COMMAND_REGISTRY_H_

#include <map>
#include <memory>
#include <string>

#include "collector/admin/admin_command.h"

namespace estate::collector {

class CommandRegistry {
 public:
  void Add(std::unique_ptr<AdminCommand> command);
  AdminCommand* Find(const std::string& name) const;
  // Runs the named command; unknown names and failures become an error response.
  v1::AdminResponse Execute(const v1::AdminRequest& request, AdminContext& context) const;
  const std::map<std::string, std::unique_ptr<AdminCommand>>& commands() const { return commands_; }

 private:
  std::map<std::string, std::unique_ptr<AdminCommand>> commands_;
};

// The built-in commands (commands/builtin_commands.cc lists them).
CommandRegistry MakeBuiltinCommands();

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMAND_REGISTRY_H_
