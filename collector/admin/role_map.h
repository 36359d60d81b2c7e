// RoleMap: which Unix groups grant which admin role (estated.conf
// `role.viewer`, `role.technician`, `role.admin`), resolved once at start.
// Immutable after Resolve; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_ROLE_MAP_H_
#define ESTATE_COLLECTOR_ADMIN_ROLE_MAP_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collector/admin/access.h"
#include "estate/status.h"

namespace estate::collector {

// The configured form: per role a comma-separated list of group names or
// numeric gids.
struct RoleGroups {
  std::map<Role, std::string> lists = {{Role::kViewer, "estate-viewers"},
                                       {Role::kTechnician, "estate-technicians"},
                                       {Role::kAdmin, "estate-admins"}};
  // Roles set in the config: a name there that no group has is an error, while
  // a missing default group (no sysusers run) only means nobody has that role.
  std::map<Role, bool> configured;
};

// Group name -> gid (getgrnam_r in production; a table in tests).
using GroupLookup = std::function<std::optional<gid_t>(const std::string& name)>;
GroupLookup SystemGroupLookup();

class RoleMap {
 public:
  // `daemon_uid` (the collector's own user) and root are always admins.
  // Default groups that do not exist are reported in `notes`.
  static Result<RoleMap> Resolve(const RoleGroups& groups, const GroupLookup& lookup,
                                 uid_t daemon_uid, std::vector<std::string>* notes);

  // The highest role any of the caller's groups (primary or supplementary) grants.
  Role RoleFor(uid_t uid, gid_t gid, const std::vector<gid_t>& groups) const;
  // "viewer: estate-viewers (gid 995); technician: ..." for the start-up log.
  std::string Describe() const;

 private:
  uid_t daemon_uid_ = 0;
  std::map<gid_t, Role> by_gid_;
  std::string description_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ROLE_MAP_H_
