// estatectl merge KEEP OTHER [--reason WHY] and estatectl split ASSET --node N | --mac M:
// an admin's correction of the reconciliation engine.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/asset_merger.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class MergeCommand : public AdminCommand {
 public:
  std::string Name() const override { return "merge"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "merge",
        "Lifecycle and custody",
        {{"", "KEEP OTHER", "join two records of one machine",
          std::vector<OptionSpec>{{"reason", ValueKind::kText, "WHY", "why, for the history"}}, 2,
          2}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 2) return Status::InvalidArgument("usage: merge KEEP OTHER");
    const std::string reason = OptionOr(request, "reason", "merged by an admin");
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto keep = LookupAsset(ctx.batch, request.args(0));
          if (!keep.ok()) return keep.status();
          auto other = LookupAsset(ctx.batch, request.args(1));
          if (!other.ok()) return other.status();
          auto merged = MergeAssets(ctx, keep->id(), other->id(), reason);
          if (!merged.ok()) return merged.status();
          return ProtoToJson(*merged);
        });
  }
};

class SplitCommand : public AdminCommand {
 public:
  std::string Name() const override { return "split"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "split",
        "Lifecycle and custody",
        {{"", "ASSET", "split an agent or a MAC off a record",
          std::vector<OptionSpec>{{"node", ValueKind::kText, "NODE", "the agent node to split off"},
                                  {"mac", ValueKind::kText, "MAC", "the MAC address to split off"}},
          1, 1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1)
      return Status::InvalidArgument("usage: split ASSET --node NODE | --mac MAC");
    const std::string node = OptionOr(request, "node", "");
    std::string mac;
    if (auto m = Option(request, "mac")) {
      auto normalized = NormalizeMac(*m);
      if (!normalized) return Status::InvalidArgument("'" + *m + "' is not a MAC address");
      mac = *normalized;
    }
    return context.ingestor.Mutate(context.caller.Actor(),
                                   [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
                                     auto asset = LookupAsset(ctx.batch, request.args(0));
                                     if (!asset.ok()) return asset.status();
                                     auto split = SplitAsset(ctx, asset->id(), node, mac);
                                     if (!split.ok()) return split.status();
                                     return ProtoToJson(*split);
                                   });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeMergeCommand() { return std::make_unique<MergeCommand>(); }
std::unique_ptr<AdminCommand> MakeSplitCommand() { return std::make_unique<SplitCommand>(); }

}  // namespace estate::collector
