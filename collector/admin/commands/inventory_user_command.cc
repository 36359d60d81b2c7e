// estatectl inventory-user add|list|revoke.
#include "collector/admin/commands/inventory_user_command.h"

#include <chrono>

#include "collector/admin/admin_args.h"

namespace estate::collector {

const CommandSpec& InventoryUserCommandSpec() {
  static const auto* spec = new CommandSpec{
      "inventory-user",
      "Agents and TLS",
      {{"add", "add NAME",
        "a user FusionInventory, GLPI and OCS agents may report as (HTTP basic auth); its "
        "password is generated and shown once, unless --password-stdin",
        std::vector<OptionSpec>{
            {"password-stdin", ValueKind::kSwitch, "",
             "read the password (12 to 1024 bytes) from the first line of standard input"}},
        2, 2},
       {"list", "list", "inventory users: name, created, by whom, revoked",
        std::vector<OptionSpec>{}, 1, 1},
       {"revoke", "revoke NAME", "refuse the user's agents from now on", std::vector<OptionSpec>{},
        2, 2}},
      /*list=*/true};
  return *spec;
}

namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class InventoryUserCommand : public AdminCommand {
 public:
  explicit InventoryUserCommand(InventoryUsers& users) : users_(users) {}
  std::string Name() const override { return "inventory-user"; }
  const CommandSpec& Spec() const override { return InventoryUserCommandSpec(); }
  Role RequiredRole(const v1::AdminRequest& request) const override {
    return request.args_size() > 0 && request.args(0) == "list" ? Role::kViewer : Role::kAdmin;
  }
  bool AcceptsSecret(const v1::AdminRequest& request) const override {
    return request.args_size() > 0 && request.args(0) == "add" &&
           Option(request, "password-stdin").has_value();
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const std::string& form = request.args(0);
    const std::string actor = context.caller.Actor();
    if (form == "list") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& user : users_.List()) {
        list.push_back({{"name", user.name()},
                        {"created_at", user.created_at()},
                        {"created_by", user.created_by()},
                        {"revoked", user.revoked_at() != 0},
                        {"revoked_at", user.revoked_at()},
                        {"revoked_by", user.revoked_by()}});
      }
      return nlohmann::json{{"users", list}};
    }
    const std::string& name = request.args(1);
    const int64_t now = NowSeconds();
    if (form == "revoke") {
      ESTATE_RETURN_IF_ERROR(users_.Revoke(name, actor, now));
      return nlohmann::json{{"name", name}, {"revoked", true}};
    }
    const bool from_stdin = Option(request, "password-stdin").has_value();
    if (from_stdin && request.secret().empty()) {
      return Status::InvalidArgument("--password-stdin: no password on standard input");
    }
    auto generated = users_.Add(name, from_stdin ? request.secret() : "", actor, now);
    if (!generated.ok()) return generated.status();
    nlohmann::json out{{"name", name}, {"created_at", now}};
    // The only time it is shown: the collector keeps its hash alone.
    if (!generated->empty()) out["password"] = *generated;
    return out;
  }

 private:
  InventoryUsers& users_;
};

}  // namespace

std::unique_ptr<AdminCommand> MakeInventoryUserCommand(InventoryUsers& users) {
  return std::make_unique<InventoryUserCommand>(users);
}

}  // namespace estate::collector
