#include "collector/admin/command_registry.h"

namespace estate::collector {

void CommandRegistry::Add(std::unique_ptr<AdminCommand> command) {
  std::string name = command->Name();
  commands_[name] = std::move(command);
}

AdminCommand* CommandRegistry::Find(const std::string& name) const {
  auto it = commands_.find(name);
  return it == commands_.end() ? nullptr : it->second.get();
}

v1::AdminResponse CommandRegistry::Execute(const v1::AdminRequest& request,
                                           AdminContext& context) const {
  v1::AdminResponse response;
  AdminCommand* command = Find(request.command());
  if (command == nullptr) {
    std::string known;
    for (const auto& [name, unused] : commands_) known += (known.empty() ? "" : ", ") + name;
    response.set_error("unknown command '" + request.command() + "' (commands: " + known + ")");
    return response;
  }
  // A command's exception must not take the admin socket down: it becomes its error.
  Result<nlohmann::json> result = Status::Unavailable("not run");
  try {
    result = command->Run(request, context);
  } catch (const std::exception& e) {
    result = Status::IoError(std::string("internal error: ") + e.what());
  }
  if (!result.ok()) {
    response.set_error(result.status().message());
    return response;
  }
  response.set_ok(true);
  response.set_json(result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return response;
}

}  // namespace estate::collector
