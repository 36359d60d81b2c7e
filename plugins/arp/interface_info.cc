#include "plugins/arp/interface_info.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

namespace estate::plugins {

Result<InterfaceInfo> GetInterfaceInfo(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return Status::InvalidArgument("bad interface name '" + name + "'");
  }
  InterfaceInfo info;
  info.name = name;
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno("socket", errno);
  ifreq req{};
  std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
  const int rc = ioctl(fd, SIOCGIFHWADDR, &req);
  const int err = errno;
  close(fd);
  if (rc != 0) {
    if (err == ENODEV) return Status::NotFound("no interface named '" + name + "'");
    return Status::FromErrno("reading the address of " + name, err);
  }
  if (req.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    return Status::FailedPrecondition(name + " is not an Ethernet interface; ARP needs one");
  }
  std::memcpy(info.mac.data(), req.ifr_hwaddr.sa_data, 6);

  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return Status::FromErrno("getifaddrs", errno);
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET || name != a->ifa_name) {
      continue;
    }
    info.ipv4 = ntohl(reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr);
    if (a->ifa_netmask != nullptr) {
      info.prefix_length = static_cast<uint32_t>(
          std::popcount(ntohl(reinterpret_cast<sockaddr_in*>(a->ifa_netmask)->sin_addr.s_addr)));
    }
    break;
  }
  freeifaddrs(list);
  return info;
}

}  // namespace estate::plugins
