// What discovery can say about a device without an agent: its vendor (from
// the MAC's OUI), a likely type (from the DHCP fingerprint, mDNS/LLDP platform
// strings, OUI vendor or SNMP), and the evidence behind it. Pure; thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_DEVICE_CLASSIFIER_H_
#define ESTATE_COLLECTOR_RECONCILE_DEVICE_CLASSIFIER_H_

#include "estate/v1/inventory.pb.h"
#include "estate/v1/observations.pb.h"

namespace estate::collector {

// Adds what `observation` tells about the device to `asset` (vendor, host
// name, evidence, device type); never overwrites an agent's facts. Returns
// true when something changed.
bool AddObservationEvidence(const v1::Observation& observation, v1::Asset* asset);

// Summary fields of a network device inventoried over SNMP.
void SummarizeNetworkDevice(const v1::NetworkDevice& device, v1::Asset* asset);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_DEVICE_CLASSIFIER_H_
