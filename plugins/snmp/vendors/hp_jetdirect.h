// HP printers (JetDirect): model and serial from sysDescr and the printer's device ID string.
#ifndef ESTATE_PLUGINS_SNMP_VENDORS_HP_JETDIRECT_H_
#define ESTATE_PLUGINS_SNMP_VENDORS_HP_JETDIRECT_H_

#include <memory>

#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

std::unique_ptr<VendorPlugin> MakeHpJetdirectPlugin();

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_VENDORS_HP_JETDIRECT_H_
