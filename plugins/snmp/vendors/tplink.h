// TP-Link smart switches: model and firmware from the RMON probeConfig scalars they fill.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_TPLINK_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_TPLINK_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeTplinkPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_TPLINK_H_
