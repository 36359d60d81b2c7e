// SNMPv2-MIB system group.
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {

void MapSystem(MibReader& r, v1::NetworkDevice* d) {
  if (auto v = r.Text(oids::kSysDescr)) d->set_sys_descr(*v);
  if (auto v = r.ObjectId(oids::kSysObjectId)) d->set_sys_object_id("." + v->ToString());
  if (auto v = r.Int(oids::kSysUpTime); v && *v >= 0) d->set_sys_uptime_ticks(*v);
  if (auto v = r.Text(oids::kSysContact)) d->set_sys_contact(*v);
  if (auto v = r.Text(oids::kSysName)) d->set_sys_name(*v);
  if (auto v = r.Text(oids::kSysLocation)) d->set_sys_location(*v);
}

}  // namespace estate::plugins::snmp
