// estatectl approve device [ASSET...] [filters] [--owner O] [--class C] [--state S] [--dry-run]
// estatectl approve software PATTERN [--publisher P] [--origin O] [--suite S] [--min-version V]
//                   [--max-version V] [--class C] [--verdict approved|unapproved|prohibited]
//                   [--reason WHY]
// estatectl approve origin ORIGIN [--suite S] [--class C] [--verdict ...]: every package an
//                   apt source (Release Origin, "local", "unknown", "@distribution") carries
// estatectl approve service PROCESS [--port N] [--class C] [--verdict ...]
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/commands/policy_rescan.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// The options of `approve device` that say what to set, not which devices.
const std::vector<std::string>& DeviceSettings() {
  static const auto* names =
      new std::vector<std::string>{"class", "state", "owner", "managed", "shadow"};
  return *names;
}

Result<nlohmann::json> ApproveDevice(const v1::AdminRequest& request, AdminContext& context) {
  const std::string state = OptionOr(request, "state", std::string(lifecycle::kDeployed));
  auto filter = AssetFilter::FromRequest(context.store, request, UnixNow(), DeviceSettings());
  if (!filter.ok()) return filter.status();
  BulkSelection selection;
  selection.names.assign(request.args().begin() + 1, request.args().end());
  selection.filter = &*filter;
  selection.dry_run = Option(request, "dry-run").has_value();
  // With filters: the shadow devices (ignored ones too) they match.
  selection.eligible = [](ReconcileContext&, const v1::Asset& a) {
    return !a.managed() || !a.ignored_reason().empty();
  };
  std::optional<std::string> cls;
  if (auto c = Option(request, "class")) cls = ToLower(*c);
  return ChangeAssets(
      context, selection,
      [&](ReconcileContext& ctx, v1::Asset& asset, AssetChangeNote* note) -> Status {
        if (asset.managed() && asset.ignored_reason().empty()) {
          return Status::FailedPrecondition(asset.id() + " is already managed");
        }
        if (asset.state().empty()) {
          ESTATE_RETURN_IF_ERROR(lifecycle::CheckTransition("", state));
          asset.set_state(state);
        }
        asset.set_managed(true);
        asset.clear_ignored_reason();
        if (auto owner = Option(request, "owner")) {
          (*asset.mutable_attributes())["owner"] = *owner;
        }
        if (cls) {
          auto classes = KnownClasses(ctx.batch);
          if (!classes.ok()) return classes.status();
          ESTATE_RETURN_IF_ERROR(CheckClass(*classes, *cls));
          asset.set_asset_class(*cls);
        }
        note->kind = "approved";
        note->raise_event = true;
        note->summary = "device approved and registered as " +
                        (asset.asset_class().empty() ? "an asset" : asset.asset_class());
        return Status::Ok();
      });
}

Result<nlohmann::json> AddRule(const v1::AdminRequest& request, AdminContext& context,
                               const std::string& kind, bool by_origin = false) {
  if (request.args_size() != 2) {
    return Status::InvalidArgument("usage: approve " +
                                   std::string(by_origin ? "origin ORIGIN" : kind + " PATTERN") +
                                   " [options]");
  }
  v1::SoftwareRule rule;
  rule.set_kind(kind);
  rule.set_pattern(by_origin ? "*" : request.args(1));
  rule.set_origin(by_origin ? request.args(1) : OptionOr(request, "origin", ""));
  rule.set_suite(OptionOr(request, "suite", ""));
  rule.set_publisher(OptionOr(request, "publisher", ""));
  rule.set_min_version(OptionOr(request, "min-version", ""));
  rule.set_max_version(OptionOr(request, "max-version", ""));
  rule.set_asset_class(OptionOr(request, "class", ""));
  rule.set_verdict(OptionOr(request, "verdict", "approved"));
  rule.set_reason(OptionOr(request, "reason", ""));
  if (auto port = Option(request, "port")) {
    auto parsed = ParseUint(*port);
    if (!parsed || *parsed == 0 || *parsed > 65535)
      return Status::InvalidArgument("--port must be 1-65535");
    rule.set_port(static_cast<uint32_t>(*parsed));
  }
  ESTATE_RETURN_IF_ERROR(ValidateRule(&rule));
  return context.ingestor.Mutate(
      context.caller.Actor(),
      [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
        rule.set_id(std::to_string(ctx.now_micros));
        rule.set_added_by(ctx.actor);
        rule.set_added_at(ctx.now_s());
        PutRecord(ctx.batch, Table::kPolicy, RuleKey(rule.id()), rule);
        auto rescanned = RescanSoftwarePolicy(ctx, context.store, rule);
        if (!rescanned.ok()) return rescanned.status();
        std::string what = rule.pattern();
        if (!rule.origin().empty()) what += " origin " + rule.origin();
        if (!rule.suite().empty()) what += " suite " + rule.suite();
        ctx.events.Raise(
            ctx.batch, nullptr, ctx.now_micros,
            PolicyChangedEvent(kind + " rule " + rule.id() + ": " + what + " " + rule.verdict(),
                               *rescanned, ctx.actor));
        nlohmann::json out = ProtoToJson(rule);
        out["assets_rechecked"] = rescanned->assets_rechecked;
        out["installs_matching"] = rescanned->installs_matching;
        out["hosts_newly_prohibited"] = rescanned->prohibited_hosts.size();
        out["newly_prohibited"] = rescanned->newly_prohibited;
        return out;
      },
      /*reload_policy=*/true);
}

class ApproveCommand : public AdminCommand {
 public:
  std::string Name() const override { return "approve"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "approve",
        "Shadow IT and drift",
        {{"device", "device [ASSET...] [filters]",
          "make shadow devices managed assets: the ASSETs named, or every shadow device the "
          "filters match",
          Concat(
              AssetFilterOptions({"class", "state", "owner", "managed", "shadow"}),
              std::vector<OptionSpec>{
                  {"owner", ValueKind::kText, "PERSON", "their owner"},
                  {"class", ValueKind::kText, "CLASS", "their class"},
                  {"state", ValueKind::kChoice, "STATE", "their state (default deployed)",
                   LifecycleStateChoices()},
                  {"dry-run", ValueKind::kSwitch, "", "print what would change, change nothing"}}),
          1, -1},
         {"software", "software PATTERN", "add a software rule",
          std::vector<OptionSpec>{
              {"verdict",
               ValueKind::kChoice,
               "VERDICT",
               "the rule's verdict (default approved)",
               {"approved", "unapproved", "prohibited"}},
              {"publisher", ValueKind::kText, "PUBLISHER", "packages of this publisher only"},
              {"origin", ValueKind::kText, "ORIGIN",
               "packages from this origin only (an apt Release Origin, local, unknown, "
               "@distribution)"},
              {"suite", ValueKind::kText, "SUITE", "packages from this suite only"},
              {"min-version", ValueKind::kText, "VERSION", "from this version"},
              {"max-version", ValueKind::kText, "VERSION", "up to this version"},
              {"class", ValueKind::kText, "CLASS", "on assets of this class only"},
              {"reason", ValueKind::kText, "WHY", "why, for the policy"}},
          2, 2},
         {"origin", "origin ORIGIN",
          "add a rule for every package an origin carries (Debian, local, unknown, @distribution)",
          std::vector<OptionSpec>{
              {"suite", ValueKind::kText, "SUITE", "that origin's suite only"},
              {"class", ValueKind::kText, "CLASS", "on assets of this class only"},
              {"verdict",
               ValueKind::kChoice,
               "VERDICT",
               "the rule's verdict (default approved)",
               {"approved", "unapproved", "prohibited"}},
              {"reason", ValueKind::kText, "WHY", "why, for the policy"}},
          2, 2},
         {"service", "service PROCESS", "add a listening-service rule",
          std::vector<OptionSpec>{
              {"port", ValueKind::kNumber, "PORT", "on this port only"},
              {"class", ValueKind::kText, "CLASS", "on assets of this class only"},
              {"verdict",
               ValueKind::kChoice,
               "VERDICT",
               "the rule's verdict (default approved)",
               {"approved", "unapproved", "prohibited"}},
              {"reason", ValueKind::kText, "WHY", "why, for the policy"}},
          2, 2}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const std::string what = request.args_size() > 0 ? request.args(0) : "";
    if (what == "device") return ApproveDevice(request, context);
    if (what == "software") return AddRule(request, context, "package");
    if (what == "service") return AddRule(request, context, "service");
    if (what == "origin") return AddRule(request, context, "package", /*by_origin=*/true);
    return Status::InvalidArgument("usage: approve device|software|origin|service ...");
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeApproveCommand() { return std::make_unique<ApproveCommand>(); }

}  // namespace estate::collector
