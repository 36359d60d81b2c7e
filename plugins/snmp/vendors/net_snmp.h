// Linux/BSD hosts running net-snmp and Windows' SNMP service: servers with their OS version.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_NET_SNMP_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_NET_SNMP_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeNetSnmpPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_NET_SNMP_H_
