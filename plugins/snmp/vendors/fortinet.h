// Fortinet FortiGate firewalls: model from ENTITY-MIB, FortiOS version from FORTINET-FORTIGATE-MIB.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_FORTINET_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_FORTINET_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeFortinetPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_FORTINET_H_
