#include "agent/collectors/network_collector.h"

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <map>
#include <optional>

#include "agent/collectors/interface_address_source.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

// The burned-in address from the driver (ETHTOOL_GPERMADDR); empty when the
// driver does not report one. Sends nothing: the socket only carries the ioctl.
std::string PermanentMac(const std::string& name) {
  if (name.size() >= IFNAMSIZ) return std::string();
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string();
  // ethtool_perm_addr ends in a flexible array: give it room behind the header.
  alignas(struct ethtool_perm_addr) uint8_t buffer[sizeof(struct ethtool_perm_addr) + 32];
  std::memset(buffer, 0, sizeof buffer);
  auto* request = reinterpret_cast<struct ethtool_perm_addr*>(buffer);
  request->cmd = ETHTOOL_GPERMADDR;
  request->size = 32;
  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof ifr);
  std::memcpy(ifr.ifr_name, name.c_str(), name.size());
  ifr.ifr_data = reinterpret_cast<char*>(buffer);
  std::string out;
  if (::ioctl(fd, SIOCETHTOOL, &ifr) == 0 && request->size == 6) {
    bool all_zero = true;
    for (int i = 0; i < 6; ++i) all_zero = all_zero && request->data[i] == 0;
    if (!all_zero) out = FormatMac(request->data);
  }
  ::close(fd);
  return out;
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// /proc/net/route prints the address as the host-order u32 of a network-order
// value ("0102A8C0" on x86 is 192.168.2.1), so it goes back into s_addr as is.
std::string Ipv4FromHex(std::string_view hex) {
  auto value = hex.size() == 8 ? ParseHexUint(hex) : std::nullopt;
  if (!value) return std::string();
  char text[INET_ADDRSTRLEN] = {};
  struct in_addr addr;
  addr.s_addr = static_cast<uint32_t>(*value);
  ::inet_ntop(AF_INET, &addr, text, sizeof text);
  return text;
}

std::string Ipv6FromHex(std::string_view hex) {
  if (hex.size() != 32) return std::string();
  struct in6_addr addr;
  for (int i = 0; i < 16; ++i) {
    auto byte = ParseHexUint(hex.substr(i * 2, 2));
    if (!byte) return std::string();
    addr.s6_addr[i] = static_cast<uint8_t>(*byte);
  }
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, &addr, text, sizeof text);
  return text;
}

bool IsHex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

class NetworkCollector : public Collector {
 public:
  std::string_view Name() const override { return "network"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    auto* network = facts->mutable_network();
    auto names = root.ListDir("/sys/class/net");
    if (!names.ok()) {
      AddWarning(facts, Name(), names.status());
    } else {
      for (const std::string& name : *names) {
        CollectInterface(context, name, network->add_interfaces());
      }
    }
    if (context.addresses != nullptr) {
      auto addresses = context.addresses->List();
      if (!addresses.ok()) {
        AddWarning(facts, Name(), addresses.status());
      } else {
        std::map<std::string, v1::NetworkInterface*> by_name;
        for (auto& iface : *network->mutable_interfaces()) by_name[iface.name()] = &iface;
        for (auto& entry : *addresses) {
          auto it = by_name.find(entry.interface);
          if (it != by_name.end()) *it->second->add_addresses() = std::move(entry.address);
        }
      }
    }
    if (auto routes = root.ReadFile("/proc/net/route", 4 << 20); routes.ok()) {
      for (auto& route : ParseIpv4Routes(*routes)) *network->add_default_routes() = route;
    }
    if (auto routes = root.ReadFile("/proc/net/ipv6_route", 4 << 20); routes.ok()) {
      for (auto& route : ParseIpv6Routes(*routes)) *network->add_default_routes() = route;
    }
    if (auto resolv = root.ReadFile("/etc/resolv.conf", 1 << 20); resolv.ok()) {
      ParseResolvConf(*resolv, network);
    }
  }

 private:
  static void CollectInterface(const CollectContext& context, const std::string& name,
                               v1::NetworkInterface* iface) {
    const HostRoot& root = context.root;
    const std::string dir = "/sys/class/net/" + name;
    auto line = [&](const char* file) {
      auto value = root.ReadLine(dir + "/" + file);
      return value.ok() ? *value : std::string();
    };
    iface->set_name(name);
    if (auto mac = NormalizeMac(line("address"))) iface->set_mac(*mac);
    if (iface->mac() == "00:00:00:00:00:00") iface->clear_mac();
    iface->set_state(line("operstate"));
    iface->set_mtu(static_cast<uint32_t>(ParseUint(line("mtu")).value_or(0)));
    // speed is -1 (or unreadable, EINVAL) while the link is down.
    if (auto speed = ParseUint(line("speed")); speed && *speed < 10000000) {
      iface->set_speed_mbps(*speed);
    }
    if (auto driver = root.ReadLink(dir + "/device/driver"); driver.ok()) {
      iface->set_driver(Basename(*driver));
    }

    InterfaceTraits traits;
    traits.name = name;
    traits.arp_type = static_cast<uint32_t>(ParseUint(line("type")).value_or(0));
    if (auto uevent = root.ReadFile(dir + "/uevent", 1 << 16); uevent.ok()) {
      for (std::string_view l : Split(*uevent, '\n')) {
        if (StartsWith(l, "DEVTYPE=")) traits.devtype = std::string(l.substr(8));
      }
    }
    traits.has_bridge_dir = root.Exists(dir + "/bridge");
    traits.has_bonding_dir = root.Exists(dir + "/bonding");
    traits.has_tun_flags = root.Exists(dir + "/tun_flags");
    traits.has_device = root.Exists(dir + "/device");
    iface->set_kind(ClassifyInterface(traits));
    iface->set_is_virtual(iface->kind() != "physical");
    if (context.live && iface->kind() == "physical") iface->set_permanent_mac(PermanentMac(name));
  }
};

}  // namespace

std::string ClassifyInterface(const InterfaceTraits& traits) {
  const std::string& name = traits.name;
  if (traits.arp_type == 772) return "loopback";
  if (traits.devtype == "wireguard") return "wireguard";
  if (traits.has_tun_flags || traits.arp_type == 65534) return "tun";
  if (traits.has_bridge_dir || traits.devtype == "bridge") {
    return StartsWith(name, "docker") || StartsWith(name, "br-") ? "docker" : "bridge";
  }
  if (traits.has_bonding_dir || traits.devtype == "bond") return "bond";
  if (traits.devtype == "vlan") return "vlan";
  if (StartsWith(name, "veth")) return "veth";
  if (traits.devtype == "wlan") return traits.has_device ? "physical" : "virtual";
  if (traits.has_device) return "physical";
  return "virtual";
}

std::vector<v1::Route> ParseIpv4Routes(std::string_view proc_net_route) {
  std::vector<v1::Route> out;
  for (std::string_view line : Split(proc_net_route, '\n')) {
    auto f = Fields(line);
    // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
    if (f.size() < 8 || !IsHex(f[1]) || f[1].size() != 8) continue;
    if (f[1] != "00000000" || f[7] != "00000000") continue;
    v1::Route route;
    route.set_destination("0.0.0.0/0");
    route.set_gateway(Ipv4FromHex(f[2]));
    route.set_interface(std::string(f[0]));
    route.set_family("ipv4");
    out.push_back(std::move(route));
  }
  return out;
}

std::vector<v1::Route> ParseIpv6Routes(std::string_view proc_net_ipv6_route) {
  std::vector<v1::Route> out;
  const std::string zero(32, '0');
  for (std::string_view line : Split(proc_net_ipv6_route, '\n')) {
    auto f = Fields(line);
    // dest dest_prefix src src_prefix next_hop metric refcnt use flags iface
    if (f.size() < 10 || f[0].size() != 32 || !IsHex(f[0]) || !IsHex(f[4])) continue;
    if (f[0] != zero || f[1] != "00") continue;
    if (f[9] == "lo") continue;  // the kernel's unreachable default on lo
    v1::Route route;
    route.set_destination("::/0");
    route.set_gateway(f[4] == zero ? std::string() : Ipv6FromHex(f[4]));
    route.set_interface(std::string(f[9]));
    route.set_family("ipv6");
    out.push_back(std::move(route));
  }
  return out;
}

void ParseResolvConf(std::string_view text, v1::NetworkFacts* network) {
  for (std::string_view line : Split(text, '\n')) {
    line = Trim(line.substr(0, line.find_first_of("#;")));
    auto f = Fields(line);
    if (f.size() < 2) continue;
    if (f[0] == "nameserver") {
      network->add_dns_servers(std::string(f[1]));
    } else if (f[0] == "search" || f[0] == "domain") {
      for (size_t i = 1; i < f.size(); ++i) network->add_search_domains(std::string(f[i]));
    }
  }
}

std::unique_ptr<Collector> MakeNetworkCollector() { return std::make_unique<NetworkCollector>(); }

}  // namespace estate::agent
