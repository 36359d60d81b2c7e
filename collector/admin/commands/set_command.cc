// estatectl set ASSET key=value...: admin attributes, never overwritten by discovery.
#include <regex>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/commands/builtin_commands.h"

namespace estate::collector {
namespace {

// Attributes whose values are dates, checked so reports can compare them.
bool IsDateAttribute(const std::string& key) {
  return key == "purchase_date" || key == "warranty_end";
}

class SetCommand : public AdminCommand {
 public:
  std::string Name() const override { return "set"; }
  std::string Help() const override {
    return "set ASSET key=value... (owner, location, department, cost, purchase_date, "
           "warranty_end, asset_tag, notes, class, or any key; key= removes)";
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
    static const std::regex kKey("[a-z][a-z0-9_.-]{0,63}");
    std::vector<std::pair<std::string, std::string>> pairs;
    for (int i = 1; i < request.args_size(); ++i) {
      const std::string& arg = request.args(i);
      const size_t eq = arg.find('=');
      if (eq == std::string::npos) return Status::InvalidArgument("'" + arg + "' is not key=value");
      std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
      if (!std::regex_match(key, kKey)) {
        return Status::InvalidArgument("'" + key + "' is not an attribute name (a-z, 0-9, _ . -)");
      }
      if (value.size() > 4096)
        return Status::InvalidArgument(key + ": value longer than 4096 bytes");
      if (IsDateAttribute(key) && !value.empty()) {
        auto t = ParseTime(value, false);
        if (!t.ok()) return Status::InvalidArgument(key + ": " + t.status().message());
      }
      if (key == "cost" && !value.empty() &&
          value.find_first_not_of("0123456789.") != std::string::npos) {
        return Status::InvalidArgument("cost must be a number");
      }
      pairs.emplace_back(std::move(key), std::move(value));
    }
    return ChangeAsset(context, request.args(0),
                       [&](ReconcileContext&, v1::Asset& asset, AssetChangeNote* note) -> Status {
                         std::string keys;
                         for (const auto& [k, v] : pairs) {
                           if (k == "class") {
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
