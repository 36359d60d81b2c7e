// The vendor plugins shipped with Estate, one line each. Order matters only
// where two match the same device: later ones see what earlier ones set.
#include "plugins/snmp/vendor_plugin.h"
#include "plugins/snmp/vendors/apc.h"
#include "plugins/snmp/vendors/cisco.h"
#include "plugins/snmp/vendors/dell_idrac.h"
#include "plugins/snmp/vendors/fortinet.h"
#include "plugins/snmp/vendors/hp_jetdirect.h"
#include "plugins/snmp/vendors/hp_procurve.h"
#include "plugins/snmp/vendors/mikrotik.h"
#include "plugins/snmp/vendors/net_snmp.h"
#include "plugins/snmp/vendors/synology.h"
#include "plugins/snmp/vendors/tplink.h"
#include "plugins/snmp/vendors/ubiquiti.h"

namespace estate::plugins::snmp {

PluginRegistry MakeBuiltinPlugins() {
  PluginRegistry registry;
  registry.Add(MakeCiscoPlugin());
  registry.Add(MakeHpProcurvePlugin());
  registry.Add(MakeHpJetdirectPlugin());
  registry.Add(MakeApcPlugin());
  registry.Add(MakeMikrotikPlugin());
  registry.Add(MakeFortinetPlugin());
  registry.Add(MakeSynologyPlugin());
  registry.Add(MakeDellIdracPlugin());
  registry.Add(MakeUbiquitiPlugin());
  registry.Add(MakeTplinkPlugin());
  registry.Add(MakeNetSnmpPlugin());  // last: only fills what no other plugin set
  return registry;
}

}  // namespace estate::plugins::snmp
