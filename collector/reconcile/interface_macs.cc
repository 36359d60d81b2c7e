#include "collector/reconcile/interface_macs.h"

#include <algorithm>
#include <set>

#include "collector/reconcile/asset_summary.h"
#include "estate/text.h"

namespace estate::collector {

bool IsStationMac(const std::string& mac) {
  if (mac.size() != 17 || mac == "00:00:00:00:00:00") return false;
  return (std::stoi(mac.substr(0, 2), nullptr, 16) & 1) == 0;  // multicast, broadcast
}

std::vector<std::string> InterfaceMacs(const v1::HostFacts& facts) {
  std::vector<std::string> out = HardwareMacs(facts);
  std::set<std::string> others;
  for (const auto& nic : facts.network().interfaces()) {
    if (nic.kind() == "loopback") continue;
    // A virtual interface without an address of its own is a port of a
    // bridge (a container's host-side veth): never seen on the network, and
    // one comes and goes with every container.
    if (nic.is_virtual() &&
        std::none_of(nic.addresses().begin(), nic.addresses().end(),
                     [](const auto& a) { return a.scope() != "host" && a.scope() != "link"; })) {
      continue;
    }
    for (const std::string* raw : {&nic.mac(), &nic.permanent_mac()}) {
      auto mac = NormalizeMac(*raw);
      if (!mac || !IsStationMac(*mac)) continue;
      if (std::find(out.begin(), out.end(), *mac) == out.end()) others.insert(*mac);
    }
  }
  out.insert(out.end(), others.begin(), others.end());
  return out;
}

}  // namespace estate::collector
