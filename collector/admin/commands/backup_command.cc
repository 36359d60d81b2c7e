// estatectl backup DIR: a consistent online copy of the inventory (a RocksDB
// checkpoint: hard links where possible, copies elsewhere; private modes),
// which `estated --restore DIR` starts from. Works on a full disk too, into a
// directory on another file system (Store::Checkpoint).
#include <filesystem>

#include "collector/admin/admin_command.h"
#include "collector/admin/commands/builtin_commands.h"

namespace estate::collector {
namespace {

class BackupCommand : public AdminCommand {
 public:
  std::string Name() const override { return "backup"; }
  std::string Help() const override { return "backup DIR (DIR must not exist yet)"; }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: backup DIR");
    const std::string dir = std::filesystem::absolute(request.args(0)).lexically_normal().string();
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) {
      return Status::AlreadyExists("backup directory " + dir + " already exists");
    }
    ESTATE_RETURN_IF_ERROR(context.store.Checkpoint(dir));
    return nlohmann::json{{"backup", dir},
                          {"assets", context.store.EstimateKeys(Table::kAssets)},
                          {"by", context.caller.user}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeBackupCommand() { return std::make_unique<BackupCommand>(); }

}  // namespace estate::collector
