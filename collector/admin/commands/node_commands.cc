// estatectl agents, estatectl revoke.
#include "collector/admin/commands/node_commands.h"

#include <chrono>

#include "collector/admin/admin_args.h"
#include "collector/reconcile/identity_claims.h"
#include "collector/store/records.h"

namespace estate::collector {
const CommandSpec& AgentsCommandSpec() {
  static const auto* spec =
      new CommandSpec{"agents",
                      "Agents and TLS",
                      {{"", "",
                        "enrolled nodes and foreign agents: node id, host, kind, version, "
                        "enrolled, last seen, last address, revoked",
                        std::vector<OptionSpec>{}, 0, 0}},
                      /*list=*/true};
  return *spec;
}

const CommandSpec& RevokeCommandSpec() {
  static const auto* spec = new CommandSpec{
      "revoke",
      "Agents and TLS",
      {{"", "NODE", "cut a node off now",
        std::vector<OptionSpec>{
            {"machine", ValueKind::kSwitch, "",
             "also ban its machine (hardware identity) under any node id"},
            {"forget", ValueKind::kSwitch, "", "also let its id and machine enroll again"}},
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

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext& context) override {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& node : nodes_.List()) {
      // The version the node last reported with.
      auto state = GetRecord<v1::NodeState>(context.store, Table::kNodes, node.node_id());
      if (!state.ok()) return state.status();
      const std::string version = state->has_value() ? (*state)->software_version() : "";
      list.push_back({{"node_id", node.node_id()},
                      {"hostname", node.hostname()},
                      {"kind", node.kind()},
                      {"version", version},
                      {"enrolled_at", node.enrolled_at()},
                      {"last_seen", node.last_seen()},
                      {"last_address", node.last_address()},
                      {"revoked", node.revoked_at() != 0},
                      {"revoked_at", node.revoked_at()}});
    }
    auto bans = ListMachineBans(context.store);
    if (!bans.ok()) return bans.status();
    nlohmann::json machines = nlohmann::json::array();
    for (const auto& ban : *bans) {
      machines.push_back({{"kind", ban.kind},
                          {"value", ban.value},
                          {"node_id", ban.node_id},
                          {"asset_id", ban.asset_id},
                          {"banned_at", ban.banned_at},
                          {"banned_by", ban.banned_by}});
    }
    return nlohmann::json{{"agents", list}, {"banned_machines", machines}};
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
    if (request.args_size() != 1) {
      return Status::InvalidArgument("usage: revoke NODE [--machine] [--forget]");
    }
    const std::string& node_id = request.args(0);
    const bool forget = Option(request, "forget").has_value();
    const bool machine = Option(request, "machine").has_value();
    if (forget && machine) {
      return Status::InvalidArgument(
          "--machine bans a machine, --forget lifts a revocation: "
          "give one of them");
    }
    const std::string actor = context.caller.Actor();
    if (forget) {
      ESTATE_RETURN_IF_ERROR(nodes_.Forget(node_id, actor));
      // The machine may report again under any node id.
      auto lifted = context.ingestor.Mutate(actor, [&](ReconcileContext& ctx) {
        auto n = LiftMachineBans(ctx, node_id);
        if (!n.ok()) return Result<nlohmann::json>(n.status());
        return Result<nlohmann::json>(nlohmann::json{{"lifted", *n}});
      });
      if (!lifted.ok()) return lifted.status();
      return nlohmann::json{
          {"node_id", node_id}, {"forgotten", true}, {"bans_lifted", lifted->at("lifted")}};
    }
    nlohmann::json out{{"node_id", node_id}, {"revoked", true}};
    if (machine) {
      // Its identity as it reported it: a new node id with it is refused.
      // Banned first, so a node whose machine is unknown is left as it was.
      auto banned = context.ingestor.Mutate(actor, [&](ReconcileContext& ctx) {
        std::vector<std::string> skipped;
        auto bans = BanMachine(ctx, node_id, &skipped);
        if (!bans.ok()) return Result<nlohmann::json>(bans.status());
        nlohmann::json list = nlohmann::json::array();
        for (const auto& ban : *bans) list.push_back(ban.kind + " " + ban.value);
        return Result<nlohmann::json>(nlohmann::json{{"banned", list}, {"not_banned", skipped}});
      });
      if (!banned.ok()) return banned.status();
      out.update(*banned);
    }
    ESTATE_RETURN_IF_ERROR(nodes_.Revoke(node_id, actor, NowSeconds()));
    return out;
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
