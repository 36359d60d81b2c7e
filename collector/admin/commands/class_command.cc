// estatectl class [add NAME]: the asset classes register, set and approve
// accept. Discovery's classes always exist; others are added on purpose, so
// a typo (lapto) is refused instead of becoming a class of its own.
#include <algorithm>
#include <regex>

#include "collector/admin/admin_args.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/valuation.h"
#include "collector/admin/verification.h"
#include "collector/reconcile/event_recorder.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class ClassCommand : public AdminCommand {
 public:
  std::string Name() const override { return "class"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "class",
        "Lifecycle and custody",
        {{"", "", "the asset classes", std::vector<OptionSpec>{}, 0, 0},
         {"add", "add NAME", "add an asset class", std::vector<OptionSpec>{}, 2, 2},
         {"set", "set NAME",
          "how a class depreciates (book values in value and report) and how often its assets "
          "must be verified",
          std::vector<OptionSpec>{
              {"depreciation",
               ValueKind::kChoice,
               "METHOD",
               "none, or straight-line to zero over --years from the purchase date",
               {std::begin(kDepreciationMethods), std::end(kDepreciationMethods)}},
              {"years", ValueKind::kNumber, "N", "the straight-line period, 1 to 50 years"},
              {"verify-every", ValueKind::kDuration, "AGE",
               "an asset of the class is unverified when its last verification is older (180d)"},
              {"verify-by", ValueKind::kText, "LIST",
               "the evidence that verifies: agent, scanner, audit, comma-separated (default all)"},
              {"no-verify", ValueKind::kSwitch, "", "remove the class's verification rule"}},
          2, 2}},
        /*list=*/true};
    return *spec;
  }

  // Listing is a viewer's; adding an admin's.
  Role RequiredRole(const v1::AdminRequest& request) const override {
    return request.args_size() == 0 ? Role::kViewer : Role::kAdmin;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() == 0) {
      // Read on the writer, as register and set check them: the same list.
      return context.ingestor.Mutate(
          context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
            auto classes = KnownClasses(ctx.batch);
            if (!classes.ok()) return classes.status();
            // Point reads through the batch: they see a `class set` still being committed.
            nlohmann::json list = nlohmann::json::array();
            const auto& builtin = BuiltinClasses();
            for (const auto& c : *classes) {
              auto stored = ctx.batch.Get(Table::kSettings, DepreciationKey(c));
              if (!stored.ok()) return stored.status();
              auto verify = ctx.batch.Get(Table::kSettings, VerifyRuleKey(c));
              if (!verify.ok()) return verify.status();
              Depreciation d;
              if (stored->has_value()) {
                auto parsed = ParseDepreciation(**stored);
                if (!parsed.ok()) return parsed.status();
                d = *parsed;
              }
              list.push_back(
                  {{"name", c},
                   {"builtin", std::find(builtin.begin(), builtin.end(), c) != builtin.end()},
                   {"depreciation", FormatDepreciation(d)},
                   {"verify", verify->value_or("")}});
            }
            return nlohmann::json{{"classes", std::move(list)}};
          });
    }
    if (request.args_size() == 2 && request.args(0) == "set") return Set(request, context);
    if (request.args_size() != 2 || request.args(0) != "add") {
      return Status::InvalidArgument("usage: class [add NAME | set NAME --depreciation METHOD]");
    }
    static const std::regex kName("[a-z][a-z0-9_-]{0,39}");
    const std::string name = ToLower(request.args(1));
    if (!std::regex_match(name, kName)) {
      return Status::InvalidArgument("class: '" + request.args(1) +
                                     "' is not a class name (a-z, 0-9, _ and -, up to 40)");
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto classes = KnownClasses(ctx.batch);
          if (!classes.ok()) return classes.status();
          if (std::find(classes->begin(), classes->end(), name) != classes->end()) {
            return Status::AlreadyExists("class '" + name + "' exists");
          }
          ctx.batch.Put(Table::kSettings, ClassSettingKey(name), ctx.actor);
          return nlohmann::json{{"added", name}};
        });
  }

 private:
  // class set NAME [--depreciation straight-line --years 4 | none]
  //                [--verify-every 180d [--verify-by agent,audit] | --no-verify].
  Result<nlohmann::json> Set(const v1::AdminRequest& request, AdminContext& context) {
    const std::string name = ToLower(request.args(1));
    auto method = Option(request, "depreciation");
    auto years_text = Option(request, "years");
    auto every = Option(request, "verify-every");
    auto by = Option(request, "verify-by");
    const bool no_verify = Option(request, "no-verify").has_value();
    if (!method && !every && !no_verify) {
      return Status::InvalidArgument(
          "class set needs --depreciation none|straight-line, --verify-every AGE or --no-verify");
    }
    if (no_verify && (every || by)) {
      return Status::InvalidArgument(
          "--no-verify removes the rule: no --verify-every or --verify-by");
    }
    if (by && !every) return Status::InvalidArgument("--verify-by needs --verify-every");
    if (years_text && !method) return Status::InvalidArgument("--years needs --depreciation");
    std::optional<Depreciation> d;
    if (method) {
      d.emplace();
      if (*method == "straight-line") {
        auto years = years_text ? ParseUint(*years_text) : std::nullopt;
        if (!years || *years < 1 || *years > 50) {
          return Status::InvalidArgument("--years: straight-line needs a period of 1 to 50 years");
        }
        *d = {Depreciation::Method::kStraightLine, static_cast<int>(*years)};
      } else if (years_text) {
        return Status::InvalidArgument("--years applies to straight-line only");
      }
    }
    std::optional<VerifyRule> rule;
    if (every) {
      auto parsed = ParseVerifyRule(*every, by.value_or(""));
      if (!parsed.ok()) return parsed.status();
      rule = *parsed;
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto classes = KnownClasses(ctx.batch);
          if (!classes.ok()) return classes.status();
          ESTATE_RETURN_IF_ERROR(CheckClass(*classes, name));
          nlohmann::json result{{"class", name}};
          v1::Event event;
          event.set_kind("class_changed");
          event.set_severity("info");
          event.set_source(ctx.actor);
          std::string summary;
          auto change = [&](const std::string& key, const char* field, const std::string& absent,
                            const std::optional<std::string>& after) -> Status {
            auto before = ctx.batch.Get(Table::kSettings, key);
            if (!before.ok()) return before.status();
            after ? ctx.batch.Put(Table::kSettings, key, *after)
                  : ctx.batch.Delete(Table::kSettings, key);
            auto* c = event.add_changes();
            c->set_field(field);
            c->set_before(before->value_or(absent));
            c->set_after(after.value_or(absent));
            result[field] = after.value_or(absent);
            summary +=
                (summary.empty() ? "" : ", ") + std::string(field) + " " + after.value_or(absent);
            return Status::Ok();
          };
          if (d) {
            ESTATE_RETURN_IF_ERROR(
                change(DepreciationKey(name), "depreciation", "none", FormatDepreciation(*d)));
          }
          if (rule || no_verify) {
            ESTATE_RETURN_IF_ERROR(
                change(VerifyRuleKey(name), "verify", "",
                       rule ? std::optional(FormatVerifyRule(*rule)) : std::nullopt));
          }
          event.set_summary("class " + name + ": " + summary);
          ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
          return result;
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeClassCommand() { return std::make_unique<ClassCommand>(); }

}  // namespace estate::collector
