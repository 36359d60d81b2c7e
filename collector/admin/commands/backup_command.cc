// estatectl backup DIR: a consistent online copy of the inventory (a RocksDB
// checkpoint: hard links where possible, copies elsewhere; private modes),
// which `estated --restore DIR` starts from. Works on a full disk too, into a
// directory on another file system (Store::Checkpoint).
#include <filesystem>

#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"

namespace estate::collector {
namespace {

class BackupCommand : public AdminCommand {
 public:
  std::string Name() const override { return "backup"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "backup",
        "Events and operations",
        {{"", "DIR", "a consistent online copy of the store into DIR, which must not exist yet",
          std::vector<OptionSpec>{}, 1, 1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: backup DIR");
    const std::string dir = std::filesystem::absolute(request.args(0)).lexically_normal().string();
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) {
      return Status::AlreadyExists("backup directory " + dir + " already exists");
    }
    // Counted, not estimated (a report landing in between may add one).
    auto assets = CountAssets(context.store);
    if (!assets.ok()) return assets.status();
    ESTATE_RETURN_IF_ERROR(context.store.Checkpoint(dir));
    return nlohmann::json{{"backup", dir}, {"assets", *assets}, {"by", context.caller.user}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeBackupCommand() { return std::make_unique<BackupCommand>(); }

}  // namespace estate::collector
