#include "collector/admin/command_registry.h"

namespace estate::collector {
namespace {

// "`state retired`": the command and its first two arguments, enough to tell
// which form of an argument-dependent command was refused.
std::string Describe(const v1::AdminRequest& request) {
  std::string text = request.command();
  for (int i = 0; i < request.args_size() && i < 2; ++i) text += " " + request.args(i);
  return "`" + text + "`";
}

}  // namespace

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
  // A caller with no role learns nothing, not even the command list.
  const Role needed = command == nullptr ? Role::kViewer : command->RequiredRole(request);
  if (Status allowed = context.RequireRole(needed, Describe(request)); !allowed.ok()) {
    response.set_error(allowed.message());
    response.set_denied(true);
    return response;
  }
  if (command == nullptr) {
    std::string known;
    for (const auto& [name, unused] : commands_) known += (known.empty() ? "" : ", ") + name;
    response.set_error("unknown command '" + request.command() + "' (commands: " + known + ")");
    return response;
  }
  // An option the table does not declare would otherwise be ignored, and the
  // answer silently be another question's.
  if (Status valid = CheckRequest(command->Spec(), request); !valid.ok()) {
    response.set_error(valid.message());
    return response;
  }
  if (!request.secret().empty() && !command->AcceptsSecret(request)) {
    response.set_error(Describe(request) + " takes no secret on standard input");
    return response;
  }
  // A command's exception must not take the admin socket down: it becomes its error.
  Result<std::string> result = Status::Unavailable("not run");
  try {
    result = command->RunToText(request, context);
  } catch (const std::exception& e) {
    result = Status::IoError(std::string("internal error: ") + e.what());
  }
  if (!result.ok()) {
    response.set_error(result.status().message());
    response.set_denied(context.denied);
    return response;
  }
  response.set_ok(true);
  response.set_json(std::move(*result));
  return response;
}

}  // namespace estate::collector
