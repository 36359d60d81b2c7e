// APC (Schneider) UPSes: model, serial and firmware from PowerNet-MIB upsBasicIdent/upsAdvIdent.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_APC_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_APC_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeApcPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_APC_H_
