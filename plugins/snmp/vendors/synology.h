// Synology NAS (net-snmp based, so matched on Linux agents): model, serial, DSM version from
// SYNOLOGY-SYSTEM-MIB.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_SYNOLOGY_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_SYNOLOGY_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeSynologyPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_SYNOLOGY_H_
