#include "tests/loadgen/access_switch.h"

namespace estate::loadgen {
namespace {

// Ports 1-48 are the access ports, 49-52 the uplinks.
constexpr uint32_t kAccessPorts = 48;
constexpr uint32_t kPorts = 52;
constexpr uint32_t kFirstIfIndex = 10100;

std::string PortName(uint32_t port) {
  return port <= kAccessPorts ? "Gi1/0/" + std::to_string(port)
                              : "Te1/0/" + std::to_string(port - kAccessPorts);
}

}  // namespace

void FillAccessSwitch(const AccessSwitch& sw, int64_t now, v1::NetworkDevice* device) {
  device->set_ip(sw.ip);
  device->set_sys_name(sw.sys_name);
  device->set_sys_descr(
      "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8, RELEASE "
      "SOFTWARE (fc2)");
  device->set_sys_object_id("1.3.6.1.4.1.9.1.1208");
  device->set_vendor("Cisco");
  device->set_type("switch");
  device->set_model("WS-C2960X-48FPD-L");
  device->set_serial(sw.serial);
  device->set_firmware("15.2(7)E8");
  device->set_snmp_version("v2c");
  device->set_scanned_at(now);
  device->set_enterprise(9);
  for (uint32_t port = 1; port <= kPorts; ++port) {
    auto* i = device->add_interfaces();
    i->set_index(kFirstIfIndex + port);
    i->set_name(PortName(port));
    i->set_descr(port <= kAccessPorts
                     ? "GigabitEthernet1/0/" + std::to_string(port)
                     : "TenGigabitEthernet1/0/" + std::to_string(port - kAccessPorts));
    i->set_type(6);  // ethernetCsmacd
    i->set_mac(sw.interface_mac(port));
    i->set_speed(port <= kAccessPorts ? 1000000000ull : 10000000000ull);
    i->set_admin_status("up");
    i->set_oper_status("up");
    i->set_mtu(1500);
  }
}

void PlaceOnPort(const AccessSwitch& sw, uint32_t port, const std::string& mac,
                 const std::string& vendor, bool locally_administered, int64_t now,
                 v1::Observation* observation, v1::NetworkDevice* device) {
  const std::string port_name = PortName(port);
  observation->set_source(v1::OBSERVATION_SOURCE_SNMP_FDB);
  observation->set_seen_at(now);
  observation->set_mac(mac);
  observation->set_vendor(vendor);
  observation->set_mac_locally_administered(locally_administered);
  observation->set_reporter(sw.ip);
  auto* sp = observation->mutable_switch_port();
  sp->set_device(sw.sys_name);
  sp->set_if_index(kFirstIfIndex + port);
  sp->set_port(port_name);
  sp->set_vlan(sw.vlan);
  auto* fdb = device->add_fdb();
  fdb->set_mac(mac);
  fdb->set_port(kFirstIfIndex + port);
  fdb->set_port_name(port_name);
  fdb->set_vlan(sw.vlan);
}

}  // namespace estate::loadgen
