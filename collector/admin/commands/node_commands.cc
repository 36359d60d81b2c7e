// estatectl agents, estatectl revoke.
#include "collector/admin/commands/node_commands.h"

#include <chrono>

#include "collector/admin/admin_args.h"

namespace estate::collector {
const CommandSpec& AgentsCommandSpec() {
  static const auto* spec = new CommandSpec{
      "agents",
      "Agents and TLS",
      {{"", "", "enrolled nodes: node id, host, enrolled, last seen, last address, revoked",
        std::vector<OptionSpec>{}, 0, 0}},
      /*list=*/true};
  return *spec;
}

const CommandSpec& RevokeCommandSpec() {
  static const auto* spec = new CommandSpec{
      "revoke",
      "Agents and TLS",
      {{"", "NODE", "cut a node off now",
        std::vector<OptionSpec>{{"forget", ValueKind::kSwitch, "", "also let its id enroll again"}},
        1, 1}},
      /*list=*/false};
  return *spec;
}

namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class AgentsCommand : public AdminCommand {
 public:
  explicit AgentsCommand(NodeDirectory& nodes) : nodes_(nodes) {}
  std::string Name() const override { return "agents"; }
  const CommandSpec& Spec() const override { return AgentsCommandSpec(); }
  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext&) override {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& node : nodes_.List()) {
      list.push_back({{"node_id", node.node_id()},
                      {"hostname", node.hostname()},
                      {"kind", node.kind()},
                      {"enrolled_at", node.enrolled_at()},
                      {"last_seen", node.last_seen()},
                      {"last_address", node.last_address()},
                      {"revoked", node.revoked_at() != 0},
                      {"revoked_at", node.revoked_at()}});
    }
    return nlohmann::json{{"agents", list}};
  }

 private:
  NodeDirectory& nodes_;
};

class RevokeCommand : public AdminCommand {
 public:
  explicit RevokeCommand(NodeDirectory& nodes) : nodes_(nodes) {}
  std::string Name() const override { return "revoke"; }
  const CommandSpec& Spec() const override { return RevokeCommandSpec(); }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: revoke NODE [--forget]");
    const std::string& node_id = request.args(0);
    const bool forget = Option(request, "forget").has_value();
    const std::string actor = context.caller.Actor();
    Status st =
        forget ? nodes_.Forget(node_id, actor) : nodes_.Revoke(node_id, actor, NowSeconds());
    if (!st.ok()) return st;
    return nlohmann::json{{"node_id", node_id}, {forget ? "forgotten" : "revoked", true}};
  }

 private:
  NodeDirectory& nodes_;
};

}  // namespace

std::unique_ptr<AdminCommand> MakeAgentsCommand(NodeDirectory& nodes) {
  return std::make_unique<AgentsCommand>(nodes);
}

std::unique_ptr<AdminCommand> MakeRevokeCommand(NodeDirectory& nodes) {
  return std::make_unique<RevokeCommand>(nodes);
}

}  // namespace estate::collector
