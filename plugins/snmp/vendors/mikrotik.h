// MikroTik RouterOS: board name, serial and RouterOS version from MIKROTIK-MIB.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_MIKROTIK_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_MIKROTIK_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeMikrotikPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_MIKROTIK_H_
