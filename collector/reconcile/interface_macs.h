// Which of an agent's MACs name its machine on the network. Pure functions;
// thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_INTERFACE_MACS_H_
#define ESTATE_COLLECTOR_RECONCILE_INTERFACE_MACS_H_

#include <string>
#include <vector>

#include "estate/v1/facts.pb.h"

namespace estate::collector {

// Station MACs of the interfaces an agent reported, virtual NICs and locally
// administered addresses included (a VM's 52:54:00:..., a container's veth
// eth0) but virtual interfaces without an address (bridge ports): the
// hardware MACs (HardwareMacs) first, then the others in order. They are the
// asset's `macs`, which sightings and `show` find it by; only HardwareMacs
// decide which asset an agent's report belongs to.
std::vector<std::string> InterfaceMacs(const v1::HostFacts& facts);

// A MAC that names one station: not all-zero, broadcast or multicast.
bool IsStationMac(const std::string& normalized_mac);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_INTERFACE_MACS_H_
