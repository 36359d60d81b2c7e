// What a device's tables say about other hosts, as Observations for the
// collector: ARP/neighbour caches (routed subnets), forwarding tables
// (MAC -> switch port) and LLDP/CDP neighbours. Pure function.
#ifndef ESTATE_PLUGINS_SNMP_OBSERVATIONS_H_
#define ESTATE_PLUGINS_SNMP_OBSERVATIONS_H_

#include <vector>

#include "estate/v1/observations.pb.h"

namespace estate::plugins::snmp {

std::vector<v1::Observation> DeviceObservations(const v1::NetworkDevice& device);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_OBSERVATIONS_H_
