// Ubiquiti UniFi and airOS radios: model and firmware from UBNT-UniFi-MIB, sysDescr or IEEE 802.11
// MIB.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_UBIQUITI_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_UBIQUITI_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeUbiquitiPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_UBIQUITI_H_
