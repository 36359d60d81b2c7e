// Cisco: IOS version from sysDescr, device type, and the forwarding table of every VLAN (read
// through community@VLAN contexts, CISCO-VTP-MIB).
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_CISCO_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_CISCO_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeCiscoPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_CISCO_H_
