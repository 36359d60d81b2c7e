#include "collector/admin/role_map.h"

#include <grp.h>

#include <algorithm>

#include "estate/text.h"

namespace estate::collector {

GroupLookup SystemGroupLookup() {
  return [](const std::string& name) -> std::optional<gid_t> {
    struct group gr {};
    struct group* found = nullptr;
    std::vector<char> buf(16384);
    if (::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
      return std::nullopt;
    }
    return found->gr_gid;
  };
}

Result<RoleMap> RoleMap::Resolve(const RoleGroups& groups, const GroupLookup& lookup,
                                 uid_t daemon_uid, std::vector<std::string>* notes) {
  RoleMap map;
  map.daemon_uid_ = daemon_uid;
  for (const auto& [role, list] : groups.lists) {
    if (role == Role::kNone) continue;
    const auto configured = groups.configured.find(role);
    const bool explicit_setting = configured != groups.configured.end() && configured->second;
    const std::string key = std::string("role.") + RoleName(role);
    std::string resolved;
    for (const auto& part : Split(list, ',')) {
      const std::string name(Trim(part));
      if (name.empty()) continue;
      std::optional<gid_t> gid;
      if (auto number = ParseUint(name)) {
        // (gid_t)-1 means "no group" to chown and friends.
        if (*number >= 0xffffffffu) return Status::InvalidArgument(key + ": bad gid " + name);
        gid = static_cast<gid_t>(*number);
      } else {
        gid = lookup(name);
      }
      if (!gid) {
        if (explicit_setting)
          return Status::InvalidArgument(key + ": no group named '" + name + "'");
        if (notes) notes->push_back(key + ": no group '" + name + "', so nobody has it that way");
        continue;
      }
      // A group listed under two roles grants the higher one.
      Role& held = map.by_gid_[*gid];
      held = std::max(held, role);
      const std::string gid_text = "gid " + std::to_string(*gid);
      resolved += (resolved.empty() ? "" : ", ") +
                  (name == std::to_string(*gid) ? gid_text : name + " (" + gid_text + ")");
    }
    map.description_ += (map.description_.empty() ? "" : "; ") + std::string(RoleName(role)) +
                        ": " + (resolved.empty() ? "no group" : resolved);
  }
  return map;
}

Role RoleMap::RoleFor(uid_t uid, gid_t gid, const std::vector<gid_t>& groups) const {
  if (uid == 0 || uid == daemon_uid_) return Role::kAdmin;
  Role role = Role::kNone;
  auto grant = [&](gid_t g) {
    auto it = by_gid_.find(g);
    if (it != by_gid_.end()) role = std::max(role, it->second);
  };
  grant(gid);
  for (gid_t g : groups) grant(g);
  return role;
}

std::string RoleMap::Describe() const { return description_; }

}  // namespace estate::collector
