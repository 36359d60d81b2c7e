#include "plugins/snmp/observations.h"

#include <map>
#include <set>

#include "estate/text.h"

namespace estate::plugins::snmp {

std::vector<v1::Observation> DeviceObservations(const v1::NetworkDevice& d) {
  std::vector<v1::Observation> out;
  const std::string reporter = d.sys_name().empty() ? d.ip() : d.sys_name();
  std::map<uint32_t, std::string> if_names;
  for (const auto& i : d.interfaces()) if_names[i.index()] = i.name();
  auto base = [&](v1::ObservationSource source) {
    v1::Observation o;
    o.set_source(source);
    o.set_seen_at(d.scanned_at());
    o.set_reporter(reporter);
    return o;
  };
  for (const auto& a : d.arp()) {
    v1::Observation o = base(v1::OBSERVATION_SOURCE_SNMP_ARP_TABLE);
    o.set_ip(a.ip());
    o.set_mac(a.mac());
    o.set_mac_locally_administered(IsLocallyAdministeredMac(a.mac()));
    if (auto it = if_names.find(a.if_index()); it != if_names.end()) o.set_interface(it->second);
    out.push_back(std::move(o));
  }
  // A port that leads to another switch (a neighbour behind it, or more MACs
  // than an access port carries) learns every MAC downstream: it says where
  // the MAC is *not*. The collector locates devices on access ports only.
  constexpr size_t kMaxAccessPortMacs = 24;
  std::map<uint32_t, size_t> macs_per_port;
  for (const auto& f : d.fdb()) macs_per_port[f.port()]++;
  std::set<uint32_t> neighbour_ports;
  for (const auto& n : d.neighbors()) neighbour_ports.insert(n.local_port());
  for (const auto& f : d.fdb()) {
    v1::Observation o = base(v1::OBSERVATION_SOURCE_SNMP_FDB);
    if (neighbour_ports.count(f.port()) || macs_per_port[f.port()] > kMaxAccessPortMacs) {
      o.add_flags("uplink");
    }
    o.set_mac(f.mac());
    o.set_mac_locally_administered(IsLocallyAdministeredMac(f.mac()));
    auto* port = o.mutable_switch_port();
    port->set_device(reporter);
    port->set_if_index(f.port());
    port->set_port(f.port_name());
    port->set_vlan(f.vlan());
    out.push_back(std::move(o));
  }
  for (const auto& n : d.neighbors()) {
    if (n.remote_address().empty() && !NormalizeMac(n.remote_chassis_id())) continue;
    v1::Observation o = base(v1::OBSERVATION_SOURCE_SNMP_NEIGHBOR);
    o.set_ip(n.remote_address());
    if (auto mac = NormalizeMac(n.remote_chassis_id())) o.set_mac(*mac);
    o.set_hostname(n.remote_name());
    o.set_platform(n.remote_platform());
    o.set_interface(n.local_port_name());
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace estate::plugins::snmp
