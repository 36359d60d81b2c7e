// The admin socket file's permissions: mode 0660, group `admin_group`. Only
// members of that group (and root) can connect; what they may do once
// connected is their role's business (collector/admin/role_map.h).
#ifndef ESTATE_COLLECTOR_NET_ADMIN_SOCKET_GROUP_H_
#define ESTATE_COLLECTOR_NET_ADMIN_SOCKET_GROUP_H_

#include <string>
#include <vector>

#include "collector/admin/role_map.h"
#include "estate/status.h"

namespace estate::collector {

// The group used when admin_group is not set, if it exists (sysusers.d/estated.conf).
inline constexpr char kDefaultAdminGroup[] = "estate";

// Sets mode 0660 and the group on the socket file at `path`: `configured` (a
// name or numeric gid; an error when unknown or not allowed), else
// kDefaultAdminGroup when it exists and the collector may give files to it,
// else the collector's own group. Returns e.g. "estate (gid 990)" for the log;
// fallbacks are explained in `notes`.
Result<std::string> SetAdminSocketGroup(const std::string& path, const std::string& configured,
                                        const GroupLookup& lookup, std::vector<std::string>* notes);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_ADMIN_SOCKET_GROUP_H_
