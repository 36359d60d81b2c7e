#include "collector/estatectl/command_line.h"

#include <algorithm>

#include "collector/admin/command_registry.h"
#include "collector/admin/commands/inventory_user_command.h"
#include "collector/admin/commands/node_commands.h"

namespace estate::collector {

// Commands estatectl runs itself, declared like the collector's.
const std::vector<CommandSpec>& LocalSpecs() {
  static const auto* specs = new std::vector<CommandSpec>{
      {"pki",
       "Agents and TLS",
       {{"init",
         "init DIR",
         "site CA, collector certificate and enroll secret, written locally into DIR",
         {{"host", ValueKind::kText, "NAME", "a DNS name of the collector", {}, true},
          {"ip", ValueKind::kText, "ADDR", "an address of the collector", {}, true},
          {"days", ValueKind::kNumber, "N", "the collector certificate's validity (825)"}},
         2,
         2}},
       false,
       true},
      {"dashboard",
       "Inventory",
       {{"",
         "--listen ADDR:PORT",
         "serve the HTML report (report --html) live over HTTP, read-only, on loopback",
         {{"listen", ValueKind::kText, "ADDR:PORT",
           "a loopback address and port, e.g. 127.0.0.1:8080 (required; other addresses are "
           "refused)"},
          {"refresh", ValueKind::kNumber, "SECONDS", "how often the page reloads itself (60)"}},
         0,
         0}},
       false,
       true},
      {"completion",
       "Agents and TLS",
       {{"bash",
         "bash",
         "print a bash completion script (source <(estatectl completion bash))",
         {},
         1,
         1}},
       false,
       true},
  };
  return *specs;
}

// Every command's table: the collector's (the same objects it runs) and the local ones.
std::vector<CommandSpec> AllCommandSpecs() {
  std::vector<CommandSpec> specs;
  const CommandRegistry registry = MakeBuiltinCommands();
  for (const auto& [name, command] : registry.commands()) specs.push_back(command->Spec());
  // Registered by estated with its node directory.
  specs.push_back(AgentsCommandSpec());
  specs.push_back(RevokeCommandSpec());
  specs.push_back(ReassignCommandSpec());
  specs.push_back(InventoryUserCommandSpec());
  for (const auto& spec : LocalSpecs()) specs.push_back(spec);
  return specs;
}

// The general --help, from the same tables as parsing.
std::string GeneralUsage(const std::vector<CommandSpec>& specs) {
  std::string out =
      "usage: estatectl [--socket PATH] [--json] COMMAND [args] [--option value]...\n"
      "       estatectl COMMAND --help   (every option of COMMAND)\n";
  std::vector<std::string> groups;
  for (const auto& spec : specs) {
    if (std::find(groups.begin(), groups.end(), spec.group) == groups.end()) {
      groups.push_back(spec.group);
    }
  }
  for (const auto& group : groups) {
    out += "\n" + group + ":\n";
    for (const auto& spec : specs) {
      if (spec.group == group) out += FormatCommandSummary(spec);
    }
  }
  out += "\nOptions of every command:\n";
  for (const auto& o : GlobalOptions()) {
    out +=
        "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name) + "  " + o.help + "\n";
  }
  out += "Options of list commands (assets, events, drift, history, ...):\n";
  for (const auto& o : ListOptions()) {
    out +=
        "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name) + "  " + o.help + "\n";
  }
  out +=
      "\nASSET is an asset id, host name, MAC, IP, serial or tag; times are ISO 8601 UTC.\n"
      "Access: members of the socket's group (estate) connect; their Unix groups give the role\n"
      "(viewer: reads; technician: + checkout/checkin, notes, in_repair moves; admin: all),\n"
      "see estatectl(8). Exit status 2 for a usage error, 77 when refused.\n";
  return out;
}

}  // namespace estate::collector
