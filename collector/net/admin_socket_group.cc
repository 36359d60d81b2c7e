#include "collector/net/admin_socket_group.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "estate/text.h"

namespace estate::collector {
namespace {

std::string GroupName(gid_t gid) {
  struct group gr {};
  struct group* found = nullptr;
  std::vector<char> buf(16384);
  if (::getgrgid_r(gid, &gr, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
    return found->gr_name;
  }
  return "gid " + std::to_string(gid);
}

std::string Describe(gid_t gid) {
  const std::string name = GroupName(gid);
  const std::string number = "gid " + std::to_string(gid);
  return name == number ? name : name + " (" + number + ")";
}

}  // namespace

Result<std::string> SetAdminSocketGroup(const std::string& path, const std::string& configured,
                                        const GroupLookup& lookup,
                                        std::vector<std::string>* notes) {
  // chmod first: the socket must never be wider than 0660, whatever the umask was.
  if (::chmod(path.c_str(), 0660) != 0) {
    return Status::FromErrno("chmod 0660 " + path, errno);
  }
  std::optional<gid_t> gid;
  if (!configured.empty()) {
    if (auto number = ParseUint(configured); number && *number < 0xffffffffu) {
      gid = static_cast<gid_t>(*number);
    } else {
      gid = lookup(configured);
    }
    if (!gid) return Status::InvalidArgument("admin_group: no group named '" + configured + "'");
    if (::chown(path.c_str(), static_cast<uid_t>(-1), *gid) != 0) {
      // EPERM: not root and not a member (under systemd: SupplementaryGroups=).
      return Status::FromErrno("admin_group: giving " + path + " to group " + configured, errno);
    }
    return Describe(*gid);
  }
  if (auto fallback = lookup(kDefaultAdminGroup)) {
    if (::chown(path.c_str(), static_cast<uid_t>(-1), *fallback) == 0) return Describe(*fallback);
    if (notes) {
      notes->push_back(std::string("admin socket: cannot give it to group ") + kDefaultAdminGroup +
                       " (" + std::strerror(errno) + "); it keeps the collector's own group");
    }
  }
  // Explicitly: in a setgid directory the file would have inherited the directory's group.
  const gid_t own = ::getegid();
  if (::chown(path.c_str(), static_cast<uid_t>(-1), own) != 0) {
    return Status::FromErrno("giving " + path + " to the collector's own group", errno);
  }
  return Describe(own);
}

}  // namespace estate::collector
