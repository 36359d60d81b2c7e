#include "collector/admin/access.h"

#include "collector/reconcile/lifecycle.h"

namespace estate::collector {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kNone:
      return "none";
    case Role::kViewer:
      return "viewer";
    case Role::kTechnician:
      return "technician";
    case Role::kAdmin:
      return "admin";
  }
  return "none";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kViewer, Role::kTechnician, Role::kAdmin}) {
    if (name == RoleName(r)) return r;
  }
  return std::nullopt;
}

Status CheckRole(const Caller& caller, Role needed, std::string_view action) {
  if (caller.role >= needed) return Status::Ok();
  const std::string uid = "uid " + std::to_string(caller.uid);
  // A user without a passwd entry is known by its uid alone.
  const std::string who =
      caller.user.empty() || caller.user == uid ? uid : caller.user + " (" + uid + ")";
  std::string message = "permission denied: " + std::string(action) + " needs the " +
                        RoleName(needed) + " role; " + who;
  if (caller.role == Role::kNone) {
    message +=
        " has no Estate role (none of its groups is mapped by role.viewer, "
        "role.technician or role.admin in estated.conf)";
  } else {
    message += " has the " + std::string(RoleName(caller.role)) + " role";
  }
  return Status::PermissionDenied(message);
}

Role RoleForStateChange(std::string_view from, std::string_view to) {
  using namespace lifecycle;
  // Leaving service is a decision about the asset, not a repair step.
  if (to == kRetired || to == kDisposed) return Role::kAdmin;
  // A discovered device entering the lifecycle becomes managed: that is approval.
  if (from.empty()) return Role::kAdmin;
  if (to == kInRepair || from == kInRepair) return Role::kTechnician;
  return Role::kAdmin;
}

}  // namespace estate::collector
