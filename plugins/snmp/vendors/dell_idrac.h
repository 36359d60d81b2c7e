// Dell iDRAC management controllers: product, service tag, firmware from IDRAC-MIB.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_DELL_IDRAC_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_DELL_IDRAC_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeDellIdracPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_DELL_IDRAC_H_
