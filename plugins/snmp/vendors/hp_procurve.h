// HP/Aruba ProCurve switches: model and firmware from sysDescr, serial from HP-httpManageable-MIB.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_HP_PROCURVE_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_HP_PROCURVE_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeHpProcurvePlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_HP_PROCURVE_H_
