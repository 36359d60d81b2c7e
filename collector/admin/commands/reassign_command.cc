// estatectl reassign ASSET --node NODE: a machine was reinstalled and enrolled
// under a new node id; that node's report was kept apart (identity_conflict).
// The admin hands the asset to the new node: its record, history, attributes
// and lifecycle stay; the old nodes are detached and revoked, since their keys
// no longer speak for the machine.
#include <chrono>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/node_commands.h"
#include "collector/reconcile/asset_reassign.h"
#include "estate/proto_json.h"

namespace estate::collector {

const CommandSpec& ReassignCommandSpec() {
  static const auto* spec = new CommandSpec{
      "reassign",
      "Lifecycle and custody",
      {{"", "ASSET", "a reinstalled machine's new node takes its asset over",
        std::vector<OptionSpec>{
            {"node", ValueKind::kText, "NODE", "the node the machine enrolled as (required)"}},
        1, 1}},
      /*list=*/false};
  return *spec;
}

namespace {

class ReassignCommand : public AdminCommand {
 public:
  explicit ReassignCommand(NodeDirectory& nodes) : nodes_(nodes) {}
  std::string Name() const override { return "reassign"; }
  const CommandSpec& Spec() const override { return ReassignCommandSpec(); }
  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const auto node = Option(request, "node");
    if (request.args_size() != 1 || !node || node->empty()) {
      return Status::InvalidArgument("usage: reassign ASSET --node NODE");
    }
    const std::string actor = context.caller.Actor();
    std::vector<std::string> detached;
    auto result = context.ingestor.Mutate(actor, [&](ReconcileContext& ctx) {
      auto asset = LookupAsset(ctx.batch, request.args(0));
      if (!asset.ok()) return Result<nlohmann::json>(asset.status());
      auto reassigned = ReassignAsset(ctx, asset->id(), *node);
      if (!reassigned.ok()) return Result<nlohmann::json>(reassigned.status());
      detached = reassigned->detached;
      return Result<nlohmann::json>(ProtoToJson(reassigned->asset));
    });
    if (!result.ok()) return result.status();
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    nlohmann::json revoked = nlohmann::json::array();
    for (const auto& old : detached) {
      Status st = nodes_.Revoke(old, actor, now);
      // Not enrolled (a collector without enrollment): nothing to revoke.
      if (st.code() == Status::Code::kNotFound) continue;
      if (!st.ok()) return st;
      revoked.push_back(old);
    }
    return nlohmann::json{
        {"asset", *result}, {"node_id", *node}, {"detached", detached}, {"revoked", revoked}};
  }

 private:
  NodeDirectory& nodes_;
};

}  // namespace

std::unique_ptr<AdminCommand> MakeReassignCommand(NodeDirectory& nodes) {
  return std::make_unique<ReassignCommand>(nodes);
}

}  // namespace estate::collector
