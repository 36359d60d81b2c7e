// The link-layer and IPv4 address of a local interface, which an ARP sweep
// puts in its requests.
#ifndef ESTATE_PLUGINS_ARP_INTERFACE_INFO_H_
#define ESTATE_PLUGINS_ARP_INTERFACE_INFO_H_

#include <cstdint>
#include <string>

#include "estate/status.h"
#include "plugins/passive/link_layer.h"

namespace estate::plugins {

struct InterfaceInfo {
  std::string name;
  MacBytes mac{};
  uint32_t ipv4 = 0;  // 0 when the interface has none
  uint32_t prefix_length = 0;
};

// NotFound when there is no such interface; FailedPrecondition when it is not Ethernet.
Result<InterfaceInfo> GetInterfaceInfo(const std::string& name);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_ARP_INTERFACE_INFO_H_
