// estatectl drift [ASSET] [--min-severity S]: open differences from baselines.
// estatectl accept ASSET [GROUP...]: the current state becomes the baseline.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/drift.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

class DriftCommand : public AdminCommand {
 public:
  std::string Name() const override { return "drift"; }
  std::string Help() const override {
    return "drift [ASSET] [--min-severity low|medium|high|critical]";
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const int min_rank = SeverityRank(OptionOr(request, "min-severity", "info"));
    std::string prefix = FindingsPrefix("drift");
    const std::string base = prefix;
    if (request.args_size() == 1) {
      auto asset = LookupAsset(context.store, request.args(0));
      if (!asset.ok()) return asset.status();
      prefix = FindingsKey("drift", asset->id());
    }
    nlohmann::json items = nlohmann::json::array();
    Status bad;
    ESTATE_RETURN_IF_ERROR(context.store.Scan(
        Table::kFindings, prefix, [&](std::string_view key, std::string_view value) {
          v1::DriftState state;
          if (!state.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            bad = Status::Corruption("unparsable drift record");
            return false;
          }
          const std::string asset_id(key.substr(base.size()));
          for (const auto& item : state.items()) {
            if (SeverityRank(item.severity()) < min_rank) continue;
            nlohmann::json j = ProtoToJson(item);
            j["asset_id"] = asset_id;
            j["first_seen"] = FormatTime(item.first_seen());
            items.push_back(std::move(j));
          }
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
    return nlohmann::json{{"drift", std::move(items)}};
  }
};

class AcceptCommand : public AdminCommand {
 public:
  std::string Name() const override { return "accept"; }
  std::string Help() const override { return "accept ASSET [hardware|os|software|network...]"; }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() < 1) return Status::InvalidArgument("usage: accept ASSET [GROUP...]");
    GroupSet groups;
    for (int i = 1; i < request.args_size(); ++i) {
      if (!AllDriftGroups().count(request.args(i))) {
        return Status::InvalidArgument("unknown group '" + request.args(i) +
                                       "' (hardware, os, software, network)");
      }
      groups.insert(request.args(i));
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto asset = LookupAsset(ctx.batch, request.args(0));
          if (!asset.ok()) return asset.status();
          GroupSet accepted =
              groups.empty() ? ctx.options.DriftGroupsFor(asset->asset_class()) : groups;
          std::optional<v1::HostFacts> facts;
          ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(
              Table::kFacts, FactsPrefix(asset->id()), [&](std::string_view, std::string_view v) {
                facts.emplace();
                if (!facts->ParseFromArray(v.data(), static_cast<int>(v.size()))) facts.reset();
                return false;
              }));
          ESTATE_RETURN_IF_ERROR(AcceptBaseline(ctx, *asset, facts ? &*facts : nullptr, accepted));
          std::string list;
          for (const auto& g : accepted) list += (list.empty() ? "" : ",") + g;
          v1::AssetEvent entry;
          entry.set_kind("baseline_accepted");
          entry.set_source(ctx.actor);
          entry.set_summary("current state accepted as baseline for " + list);
          ctx.events.History(ctx.batch, *asset, ctx.now_micros, std::move(entry));
          return nlohmann::json{{"asset_id", asset->id()}, {"accepted", list}};
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeDriftCommand() { return std::make_unique<DriftCommand>(); }
std::unique_ptr<AdminCommand> MakeAcceptCommand() { return std::make_unique<AcceptCommand>(); }

}  // namespace estate::collector
