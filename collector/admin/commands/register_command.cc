// estatectl register --class C [--tag T] [--serial S] [--mac M] [--hostname H]
//   [--state STATE] [key=value...]: an asset no scan finds (a monitor, a phone
//   in a drawer), or one registered before it is ever plugged in.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/people.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class RegisterCommand : public AdminCommand {
 public:
  std::string Name() const override { return "register"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "register",
        "Lifecycle and custody",
        {{"", "--class CLASS [key=value...]",
          "record an asset by hand (ordered, in stock, or not discoverable)",
          std::vector<OptionSpec>{{"class", ValueKind::kText, "CLASS", "asset class (required)"},
                                  {"tag", ValueKind::kText, "TAG", "asset tag"},
                                  {"serial", ValueKind::kText, "SERIAL", "serial number"},
                                  {"mac", ValueKind::kText, "MAC", "a MAC address"},
                                  {"hostname", ValueKind::kText, "NAME", "host name"},
                                  {"vendor", ValueKind::kText, "VENDOR", "vendor"},
                                  {"model", ValueKind::kText, "MODEL", "model"},
                                  {"state", ValueKind::kChoice, "STATE",
                                   "initial state (default in_stock)", LifecycleStateChoices()}},
          0, -1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    v1::Asset asset;
    asset.set_asset_class(ToLower(OptionOr(request, "class", "")));
    if (asset.asset_class().empty()) return Status::InvalidArgument("register needs --class");
    const std::string state = OptionOr(request, "state", std::string(lifecycle::kInStock));
    ESTATE_RETURN_IF_ERROR(lifecycle::CheckTransition("", state));
    asset.set_state(state);
    asset.set_managed(true);
    asset.set_serial(OptionOr(request, "serial", ""));
    asset.set_hostname(OptionOr(request, "hostname", ""));
    asset.set_vendor(OptionOr(request, "vendor", ""));
    asset.set_model(OptionOr(request, "model", ""));
    if (auto mac = Option(request, "mac")) {
      auto normalized = NormalizeMac(*mac);
      if (!normalized) return Status::InvalidArgument("mac: '" + *mac + "' is not a MAC address");
      asset.add_macs(*normalized);
    }
    if (auto tag = Option(request, "tag")) {
      ESTATE_RETURN_IF_ERROR(CheckAttribute("asset_tag", *tag));
      (*asset.mutable_attributes())["asset_tag"] = *tag;
    }
    for (const auto& arg : request.args()) {
      const size_t eq = arg.find('=');
      if (eq == std::string::npos || eq == 0) {
        return Status::InvalidArgument("'" + arg + "' is not key=value");
      }
      const std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
      if (key == "class") return Status::InvalidArgument("give the class with --class");
      ESTATE_RETURN_IF_ERROR(CheckAttribute(key, value));
      if (!value.empty()) (*asset.mutable_attributes())[key] = value;
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto classes = KnownClasses(ctx.batch);
          if (!classes.ok()) return classes.status();
          ESTATE_RETURN_IF_ERROR(CheckClass(*classes, asset.asset_class()));
          ESTATE_RETURN_IF_ERROR(CheckUniqueTagAndSerial(ctx.batch, asset));
          auto id = AllocateAssetId(ctx.batch);
          if (!id.ok()) return id.status();
          asset.set_id(*id);
          asset.set_first_seen(ctx.now_s());
          std::vector<IdentityConflict> conflicts;
          ESTATE_RETURN_IF_ERROR(Reindex(ctx.batch, v1::Asset(), asset, &conflicts));
          if (!conflicts.empty()) {
            const auto& c = conflicts.front();
            return Status::AlreadyExists(c.kind + " " + c.value + " already belongs to " + c.owner +
                                         ": use set/state on it instead");
          }
          ESTATE_RETURN_IF_ERROR(EnsurePeopleNamedBy(ctx.batch, v1::Asset(), asset, ctx.now_s()));
          PutRecord(ctx.batch, Table::kAssets, asset.id(), asset);
          v1::Event event;
          event.set_kind("registered");
          event.set_severity("info");
          event.set_source(ctx.actor);
          event.set_summary("registered " + asset.asset_class() + " in state " + state);
          ctx.events.Raise(ctx.batch, &asset, ctx.now_micros, std::move(event));
          return ProtoToJson(asset);
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeRegisterCommand() { return std::make_unique<RegisterCommand>(); }

}  // namespace estate::collector
