// The standard MIBs every device is asked for, and the pure mappers that turn
// what was fetched into NetworkDevice fields. One mapper per MIB, each in its
// own file (mib_<name>.cc). Mappers never fail: missing tables leave fields
// empty, values of the wrong type become warnings on the device.
#ifndef ESTATE_PLUGINS_SNMP_STANDARD_MIBS_H_
#define ESTATE_PLUGINS_SNMP_STANDARD_MIBS_H_

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "estate/v1/observations.pb.h"
#include "plugins/snmp/mib_view.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

namespace oids {
// SNMPv2-MIB system group.
inline const Oid kSystem{1, 3, 6, 1, 2, 1, 1};
inline const Oid kSysDescr{1, 3, 6, 1, 2, 1, 1, 1, 0};
inline const Oid kSysObjectId{1, 3, 6, 1, 2, 1, 1, 2, 0};
inline const Oid kSysUpTime{1, 3, 6, 1, 2, 1, 1, 3, 0};
inline const Oid kSysContact{1, 3, 6, 1, 2, 1, 1, 4, 0};
inline const Oid kSysName{1, 3, 6, 1, 2, 1, 1, 5, 0};
inline const Oid kSysLocation{1, 3, 6, 1, 2, 1, 1, 6, 0};
// BRIDGE-MIB (also read per VLAN context).
inline const Oid kDot1dBaseNumPorts{1, 3, 6, 1, 2, 1, 17, 1, 2};
inline const Oid kDot1dBasePortIfIndex{1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2};
inline const Oid kDot1dTpFdbPort{1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2};
inline const Oid kDot1dTpFdbStatus{1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 3};
inline const Oid kIpForwarding{1, 3, 6, 1, 2, 1, 4, 1};
}  // namespace oids

// The system-group scalars asked for with one GET at identification.
std::vector<Oid> IdentificationOids();
// Every standard subtree walked after identification.
std::vector<WalkStep> StandardPlan();
// Subtrees walked only when the standard walk showed they can exist: the
// Q-BRIDGE VLAN columns, on a device with bridge ports or a VLAN table.
std::vector<WalkStep> StandardFollowUp(const DeviceData& data);

void MapSystem(MibReader& r, v1::NetworkDevice* d);
void MapInterfaces(MibReader& r, v1::NetworkDevice* d);
void MapEntity(MibReader& r, v1::NetworkDevice* d);
void MapIpAddresses(MibReader& r, v1::NetworkDevice* d);
void MapArp(MibReader& r, v1::NetworkDevice* d);
// Default-context bridge tables plus the per-VLAN contexts in `data`.
void MapBridge(const DeviceData& data, MibReader& r, v1::NetworkDevice* d);
// Q-BRIDGE VLANs (names, member and untagged ports) and each port's PVID.
void MapVlans(MibReader& r, v1::NetworkDevice* d);
// A Q-BRIDGE PortList (bit 1 = dot1dBasePort 1) as the ifIndex of each port set.
std::vector<uint32_t> PortListToIfIndexes(std::string_view bits,
                                          const std::map<uint32_t, uint32_t>& port_to_if_index);
void MapLldp(MibReader& r, v1::NetworkDevice* d);
void MapCdp(MibReader& r, v1::NetworkDevice* d);
void MapHostResources(MibReader& r, v1::NetworkDevice* d);  // storage + software
void MapSoftware(MibReader& r, v1::NetworkDevice* d);       // hrSWInstalledTable only
inline const Oid kHrSWInstalledEntry{1, 3, 6, 1, 2, 1, 25, 6, 3, 1};
// Column-at-a-time software mapping, so a long package list never sits in the
// view three columns deep: column 2 (name) adds entries and records their
// positions by row index, columns 4 (type) and 5 (install date) fill them in.
void MergeSoftwareColumn(MibReader& r, uint32_t column, v1::NetworkDevice* d,
                         std::map<uint32_t, int>* positions);
// After MapEntity and MapHostResources: hrDeviceProcessor rows, else ENTITY cpu rows.
void MapProcessors(MibReader& r, v1::NetworkDevice* d);
void MapPrinter(MibReader& r, v1::NetworkDevice* d);
void MapUps(MibReader& r, v1::NetworkDevice* d);

// All of the above, in order.
void MapStandardMibs(const DeviceData& data, MibReader& r, v1::NetworkDevice* d);
// Device type from generic evidence (Printer-MIB, UPS-MIB, bridge ports,
// forwarding, sysDescr words) when no plugin decided it.
void ClassifyGeneric(const DeviceData& data, MibReader& r, v1::NetworkDevice* d);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_STANDARD_MIBS_H_
