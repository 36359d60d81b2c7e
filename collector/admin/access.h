// Who may do what on the admin socket. The caller's identity and groups come
// from the socket (SO_PEERCRED, SO_PEERGROUPS), its role from the Unix groups
// estated.conf maps to roles (role_map.h); each command declares the role it
// needs (AdminCommand::RequiredRole). Pure; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_ACCESS_H_
#define ESTATE_COLLECTOR_ADMIN_ACCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

// Ordered: each role may do everything the ones below it may.
enum class Role {
  kNone = 0,        // no mapped group: refused everything
  kViewer = 1,      // read-only commands
  kTechnician = 2,  // viewer + custody, notes, moves into and out of repair
  kAdmin = 3,       // everything
};

const char* RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Who is calling, from the socket (never from the request).
struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
  std::string user = {};
  std::vector<gid_t> groups = {};  // supplementary groups
  Role role = Role::kNone;
  // How changes made by this caller are attributed in history.
  std::string Actor() const { return "user:" + (user.empty() ? std::to_string(uid) : user); }
};

// Ok when `caller` holds `needed`; otherwise PermissionDenied with a message
// naming the action, the role it needs, the user and the role the user has.
Status CheckRole(const Caller& caller, Role needed, std::string_view action);

// The role a lifecycle move needs: technicians send assets to repair and bring
// them back into service; entering the lifecycle from discovery, retiring,
// disposing and every other move stay with admins.
Role RoleForStateChange(std::string_view from, std::string_view to);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ACCESS_H_
