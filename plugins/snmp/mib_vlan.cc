// Q-BRIDGE-MIB (RFC 4363): the VLANs a bridge carries, their names, the
// ports that are members (tagged or untagged) and each port's PVID.
//
// VLANs come from dot1qVlanCurrentTable (what the bridge runs, including
// VLANs learnt by GVRP/MVRP) and dot1qVlanStaticTable (what is configured,
// with its name). The current table is indexed by TimeMark.VlanIndex: a VLAN
// may appear under several time marks and the last row read is the newest.
// Port lists are bit strings over dot1dBasePort numbers (the first octet's
// high bit is port 1), translated to ifIndex through dot1dBasePortIfIndex; a
// port without that mapping is left out rather than guessed.
#include <map>

#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kDot1qVlanCurrentFdbId{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 3};
const Oid kDot1qVlanCurrentEgressPorts{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 4};
const Oid kDot1qVlanCurrentUntaggedPorts{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 5};
const Oid kDot1qVlanStaticName{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 1};
const Oid kDot1qPvid{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 5, 1, 1};

constexpr uint32_t kMaxVlanId = 4094;

bool ValidVlan(uint32_t id) { return id >= 1 && id <= kMaxVlanId; }

}  // namespace

std::vector<uint32_t> PortListToIfIndexes(std::string_view bits,
                                          const std::map<uint32_t, uint32_t>& port_to_if_index) {
  std::vector<uint32_t> out;
  for (size_t byte = 0; byte < bits.size(); ++byte) {
    const auto octet = static_cast<unsigned char>(bits[byte]);
    if (octet == 0) continue;
    for (int bit = 0; bit < 8; ++bit) {
      if (!(octet & (0x80 >> bit))) continue;
      const auto port = static_cast<uint32_t>(byte * 8 + bit + 1);
      if (auto it = port_to_if_index.find(port); it != port_to_if_index.end()) {
        out.push_back(it->second);
      }
    }
  }
  return out;
}

void MapVlans(MibReader& r, v1::NetworkDevice* d) {
  std::map<uint32_t, uint32_t> ports;  // dot1dBasePort -> ifIndex
  for (const auto& [index, vb] : r.Column(oids::kDot1dBasePortIfIndex)) {
    if (index.size() != 1) continue;
    if (auto v = r.CellInt(oids::kDot1dBasePortIfIndex, vb); v && *v > 0) {
      ports[index[0]] = static_cast<uint32_t>(*v);
    }
  }
  std::map<uint32_t, v1::DeviceVlan> vlans;
  // Current table: TimeMark.VlanIndex; later time marks replace earlier rows.
  auto current = [&](const Oid& column, auto fill) {
    for (const auto& [index, vb] : r.Column(column)) {
      if (index.size() != 2 || !ValidVlan(index[1])) continue;
      fill(vlans[index[1]], vb);
    }
  };
  current(kDot1qVlanCurrentFdbId, [](v1::DeviceVlan&, const VarBind*) {});
  current(kDot1qVlanCurrentEgressPorts, [&](v1::DeviceVlan& v, const VarBind* vb) {
    auto bits = r.CellBytes(kDot1qVlanCurrentEgressPorts, vb);
    if (!bits) return;
    v.clear_ports();
    for (uint32_t i : PortListToIfIndexes(*bits, ports)) v.add_ports(i);
  });
  current(kDot1qVlanCurrentUntaggedPorts, [&](v1::DeviceVlan& v, const VarBind* vb) {
    auto bits = r.CellBytes(kDot1qVlanCurrentUntaggedPorts, vb);
    if (!bits) return;
    v.clear_untagged_ports();
    for (uint32_t i : PortListToIfIndexes(*bits, ports)) v.add_untagged_ports(i);
  });
  for (const auto& [index, vb] : r.Column(kDot1qVlanStaticName)) {
    if (index.size() != 1 || !ValidVlan(index[0])) continue;
    auto& vlan = vlans[index[0]];
    if (auto name = r.CellText(kDot1qVlanStaticName, vb)) vlan.set_name(*name);
  }
  for (auto& [id, vlan] : vlans) {
    vlan.set_id(id);
    *d->add_vlans() = std::move(vlan);
  }

  // PVID: the VLAN a port puts untagged frames in, by bridge port.
  std::map<uint32_t, v1::DeviceInterface*> by_if_index;
  for (auto& i : *d->mutable_interfaces()) by_if_index[i.index()] = &i;
  for (const auto& [index, vb] : r.Column(kDot1qPvid)) {
    if (index.size() != 1) continue;
    auto pvid = r.CellInt(kDot1qPvid, vb);
    if (!pvid || *pvid < 1 || *pvid > kMaxVlanId) continue;
    auto port = ports.find(index[0]);
    if (port == ports.end()) continue;
    if (auto it = by_if_index.find(port->second); it != by_if_index.end()) {
      it->second->set_pvid(static_cast<uint32_t>(*pvid));
    }
  }
}

}  // namespace estate::plugins::snmp
