// estatectl policy [remove RULE_ID]: the software policy's rules and ignores.
#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/commands/policy_rescan.h"
#include "collector/ingest/ingestor.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"

namespace estate::collector {
namespace {

class PolicyCommand : public AdminCommand {
 public:
  std::string Name() const override { return "policy"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "policy",
        "Shadow IT and drift",
        {{"", "", "the software policy", std::vector<OptionSpec>{}, 0, 0},
         {"remove", "remove RULE_ID", "remove a rule", std::vector<OptionSpec>{}, 2, 2}},
        /*list=*/true};
    return *spec;
  }

  // Reading the policy is a viewer's; changing it an admin's.
  Role RequiredRole(const v1::AdminRequest& request) const override {
    return request.args_size() == 0 ? Role::kViewer : Role::kAdmin;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() == 2 && request.args(0) == "remove") {
      const std::string id = request.args(1);
      return context.ingestor.Mutate(
          context.caller.Actor(),
          [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
            auto rule = GetRecord<v1::SoftwareRule>(ctx.batch, Table::kPolicy, RuleKey(id));
            if (!rule.ok()) return rule.status();
            if (!rule->has_value()) return Status::NotFound("no policy rule " + id);
            ctx.batch.Delete(Table::kPolicy, RuleKey(id));
            auto rescanned = RescanSoftwarePolicy(ctx, context.store, std::nullopt, id);
            if (!rescanned.ok()) return rescanned.status();
            ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros,
                             PolicyChangedEvent("rule " + id + " removed", *rescanned, ctx.actor));
            return nlohmann::json{{"removed", id},
                                  {"assets_rechecked", rescanned->assets_rechecked},
                                  {"installs_matching", rescanned->installs_matching},
                                  {"hosts_newly_prohibited", rescanned->prohibited_hosts.size()},
                                  {"newly_prohibited", rescanned->newly_prohibited}};
          },
          /*reload_policy=*/true);
    }
    if (request.args_size() != 0) return Status::InvalidArgument("usage: policy [remove RULE_ID]");
    nlohmann::json rules = nlohmann::json::array();
    nlohmann::json ignored = nlohmann::json::array();
    ESTATE_RETURN_IF_ERROR(
        context.store.Scan(Table::kPolicy, RulePrefix(), [&](std::string_view, std::string_view v) {
          v1::SoftwareRule rule;
          if (rule.ParseFromArray(v.data(), static_cast<int>(v.size())))
            rules.push_back(ProtoToJson(rule));
          return true;
        }));
    const std::string prefix = IgnorePrefix("software");
    ESTATE_RETURN_IF_ERROR(
        context.store.Scan(Table::kPolicy, prefix, [&](std::string_view k, std::string_view v) {
          ignored.push_back(
              {{"name", std::string(k.substr(prefix.size()))}, {"reason", std::string(v)}});
          return true;
        }));
    const auto& options = context.ingestor.reconcile_options().software;
    if (options.approve_distribution) {
      // The shipped default, as the policy applies it.
      for (const auto& rule : context.ingestor.policy()->rules()) {
        if (rule.id() == kDistributionRuleId) rules.push_back(ProtoToJson(rule));
      }
    }
    return nlohmann::json{{"order", std::string(kRuleOrder)},
                          {"rules", std::move(rules)},
                          {"ignored_software", std::move(ignored)},
                          {"unknown_software", options.flag_unknown_software ? "flag" : "allow"},
                          {"unknown_services", options.flag_unknown_services ? "flag" : "allow"}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakePolicyCommand() { return std::make_unique<PolicyCommand>(); }

}  // namespace estate::collector
