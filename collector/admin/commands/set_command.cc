// estatectl set ASSET key=value...: admin attributes, never overwritten by discovery.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class SetCommand : public AdminCommand {
 public:
  std::string Name() const override { return "set"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "set",
        "Lifecycle and custody",
        {{"", "ASSET key=value...",
          "set attributes discovery never overwrites: owner, location, department, cost, "
          "purchase_date, warranty_end, asset_tag, notes, class, or x-NAME; key= removes one",
          std::vector<OptionSpec>{}, 2, -1}},
        /*list=*/false};
    return *spec;
  }

  // Technicians keep notes; every other attribute (owner, cost, class...) is an admin's.
  Role RequiredRole(const v1::AdminRequest& request) const override {
    for (int i = 1; i < request.args_size(); ++i) {
      const std::string& arg = request.args(i);
      const size_t eq = arg.find('=');
      // Not key=value: Run says so, whoever asks.
      if (eq != std::string::npos && arg.compare(0, eq, "notes") != 0) return Role::kAdmin;
    }
    return Role::kTechnician;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() < 2) return Status::InvalidArgument("usage: set ASSET key=value...");
    std::vector<std::pair<std::string, std::string>> pairs;
    for (int i = 1; i < request.args_size(); ++i) {
      const std::string& arg = request.args(i);
      const size_t eq = arg.find('=');
      if (eq == std::string::npos) return Status::InvalidArgument("'" + arg + "' is not key=value");
      std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
      if (key == "class") {
        if (value.empty()) return Status::InvalidArgument("class: an asset keeps a class");
        value = ToLower(value);
      } else if (!value.empty()) {
        ESTATE_RETURN_IF_ERROR(CheckAttribute(key, value));
      }  // key= removes any key, a legacy one (stored before the schema) included
      pairs.emplace_back(std::move(key), std::move(value));
    }
    return ChangeAsset(
        context, request.args(0),
        [&](ReconcileContext& ctx, v1::Asset& asset, AssetChangeNote* note) -> Status {
          std::string keys;
          for (const auto& [k, v] : pairs) {
            if (k == "class") {
              auto classes = KnownClasses(ctx.batch);
              if (!classes.ok()) return classes.status();
              ESTATE_RETURN_IF_ERROR(CheckClass(*classes, v));
              asset.set_asset_class(v);
            } else if (v.empty()) {
              asset.mutable_attributes()->erase(k);
            } else {
              (*asset.mutable_attributes())[k] = v;
            }
            keys += (keys.empty() ? "" : ", ") + k;
          }
          note->kind = "attributes_set";
          note->summary = "set " + keys;
          return Status::Ok();
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeSetCommand() { return std::make_unique<SetCommand>(); }

}  // namespace estate::collector
