// NetworkCollector: interfaces from /sys/class/net (current and permanent
// MAC, driver, speed, state, MTU, kind), their addresses from the
// InterfaceAddressSource, default routes from /proc/net/route and
// /proc/net/ipv6_route, and DNS servers from /etc/resolv.conf.
#ifndef ESTATE_AGENT_COLLECTORS_NETWORK_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_NETWORK_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeNetworkCollector();

// Default routes (destination 0/0) of /proc/net/route.
std::vector<v1::Route> ParseIpv4Routes(std::string_view proc_net_route);
// Default routes (::/0) of /proc/net/ipv6_route.
std::vector<v1::Route> ParseIpv6Routes(std::string_view proc_net_ipv6_route);
// nameserver and search/domain lines of resolv.conf.
void ParseResolvConf(std::string_view text, v1::NetworkFacts* network);

// What sysfs tells about one interface, for ClassifyInterface.
struct InterfaceTraits {
  std::string name;
  uint32_t arp_type = 0;  // /sys/class/net/X/type
  std::string devtype;    // DEVTYPE= of uevent
  bool has_bridge_dir = false;
  bool has_bonding_dir = false;
  bool has_tun_flags = false;
  bool has_device = false;  // backed by a bus device (not under devices/virtual)
};
// Kind as in NetworkInterface.kind.
std::string ClassifyInterface(const InterfaceTraits& traits);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_NETWORK_COLLECTOR_H_
