// estatectl class [add NAME]: the asset classes register, set and approve
// accept. Discovery's classes always exist; others are added on purpose, so
// a typo (lapto) is refused instead of becoming a class of its own.
#include <algorithm>
#include <regex>

#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"
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
         {"add", "add NAME", "add an asset class", std::vector<OptionSpec>{}, 2, 2}},
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
            nlohmann::json list = nlohmann::json::array();
            const auto& builtin = BuiltinClasses();
            for (const auto& c : *classes) {
              list.push_back(
                  {{"name", c},
                   {"builtin", std::find(builtin.begin(), builtin.end(), c) != builtin.end()}});
            }
            return nlohmann::json{{"classes", std::move(list)}};
          });
    }
    if (request.args_size() != 2 || request.args(0) != "add") {
      return Status::InvalidArgument("usage: class [add NAME]");
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
};

}  // namespace

std::unique_ptr<AdminCommand> MakeClassCommand() { return std::make_unique<ClassCommand>(); }

}  // namespace estate::collector
