// LLDP-MIB remote systems and CISCO-CDP-MIB cache: who is plugged in where.
#include <map>

#include "estate/text.h"
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kLldpLocPortId{1, 0, 8802, 1, 1, 2, 1, 3, 7, 1, 3};
const Oid kLldpLocPortDesc{1, 0, 8802, 1, 1, 2, 1, 3, 7, 1, 4};
const Oid kLldpRemEntry{1, 0, 8802, 1, 1, 2, 1, 4, 1, 1};
const Oid kLldpRemManAddrIfSubtype{1, 0, 8802, 1, 1, 2, 1, 4, 2, 1, 3};
const Oid kCdpCacheEntry{1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1};

// LLDP chassis/port IDs: MACs (subtype 4 chassis / 3 port) as MACs, text otherwise.
std::string IdText(const VarBind* id, const VarBind* subtype, int64_t mac_subtype) {
  if (!id || id->type != ValueType::kOctetString) return "";
  if (subtype && subtype->IsNumeric() && subtype->number == mac_subtype) {
    if (auto mac = OctetsToMac(id->bytes)) return *mac;
  }
  if (subtype && subtype->IsNumeric() && subtype->number == 5 && id->bytes.size() == 5 &&
      id->bytes[0] == 1) {  // networkAddress: IANA family 1 + IPv4
    if (auto ip = OctetsToIp(id->bytes.substr(1))) return *ip;
  }
  return OctetsToText(id->bytes);
}

}  // namespace

void MapLldp(MibReader& r, v1::NetworkDevice* d) {
  // LLDP numbers local ports itself; match them to interfaces by name.
  std::map<std::string, uint32_t> by_name;
  for (const auto& i : d->interfaces()) {
    if (!i.name().empty()) by_name.emplace(i.name(), i.index());
    if (!i.descr().empty()) by_name.emplace(i.descr(), i.index());
  }
  std::map<uint32_t, std::pair<std::string, uint32_t>> local;  // lldp port -> (name, ifIndex)
  for (const auto& [index, vb] : r.Column(kLldpLocPortId)) {
    if (index.size() != 1 || vb->type != ValueType::kOctetString) continue;
    std::string name = OctetsToText(vb->bytes);
    const VarBind* desc = r.view().Get(kLldpLocPortDesc.Child(index[0]));
    std::string desc_text =
        desc && desc->type == ValueType::kOctetString ? OctetsToText(desc->bytes) : "";
    uint32_t if_index = 0;
    if (auto it = by_name.find(name); it != by_name.end()) {
      if_index = it->second;
    } else if (auto it2 = by_name.find(desc_text); it2 != by_name.end()) {
      if_index = it2->second;
    }
    local[index[0]] = {name.empty() ? desc_text : name, if_index};
  }
  std::map<std::vector<uint32_t>, std::string> mgmt;  // timeMark.port.idx -> IPv4
  for (const VarBind* vb : r.view().Subtree(kLldpRemManAddrIfSubtype)) {
    auto idx = vb->oid.SuffixAfter(kLldpRemManAddrIfSubtype);
    if (idx.size() >= 5 && idx[3] == 1 && idx[4] == 4) {
      if (auto ip = ArcsToIp(idx, 5, 4))
        mgmt.emplace(std::vector(idx.begin(), idx.begin() + 3), *ip);
    }
  }
  const Oid sys_name_col = kLldpRemEntry.Child(9);
  for (const auto& [index, vb] : r.Column(kLldpRemEntry.Child(5))) {  // lldpRemChassisId
    if (index.size() != 3) continue;
    // An init-capture: clang before 16 cannot capture a structured binding.
    auto cell = [&, &row = index](uint32_t column) {
      return r.view().Get(kLldpRemEntry.Child(column).Append(row));
    };
    v1::Neighbor n;
    n.set_protocol("lldp");
    n.set_remote_chassis_id(IdText(vb, cell(4), 4));
    n.set_remote_port(IdText(cell(7), cell(6), 3));
    if (n.remote_port().empty() || n.remote_port() == n.remote_chassis_id()) {
      if (const VarBind* desc = cell(8); desc && desc->type == ValueType::kOctetString) {
        std::string t = OctetsToText(desc->bytes);
        if (!t.empty()) n.set_remote_port(t);
      }
    }
    if (auto t = r.CellText(sys_name_col, cell(9))) n.set_remote_name(*t);
    if (auto t = r.CellText(kLldpRemEntry.Child(10), cell(10))) n.set_remote_platform(*t);
    if (auto it = mgmt.find(index); it != mgmt.end()) n.set_remote_address(it->second);
    if (auto it = local.find(index[1]); it != local.end()) {
      n.set_local_port_name(it->second.first);
      n.set_local_port(it->second.second);
    } else {
      n.set_local_port(index[1]);
    }
    *d->add_neighbors() = std::move(n);
  }
}

void MapCdp(MibReader& r, v1::NetworkDevice* d) {
  std::map<uint32_t, std::string> if_names;
  for (const auto& i : d->interfaces()) if_names[i.index()] = i.name();
  const Oid device_id_col = kCdpCacheEntry.Child(6);
  for (const auto& [index, vb] : r.Column(device_id_col)) {
    if (index.size() != 2) continue;
    // An init-capture: clang before 16 cannot capture a structured binding.
    auto cell = [&, &row = index](uint32_t column) {
      return r.view().Get(kCdpCacheEntry.Child(column).Append(row));
    };
    v1::Neighbor n;
    n.set_protocol("cdp");
    n.set_local_port(index[0]);
    if (auto it = if_names.find(index[0]); it != if_names.end()) n.set_local_port_name(it->second);
    if (auto t = r.CellText(device_id_col, vb)) n.set_remote_name(*t);
    if (auto t = r.CellText(kCdpCacheEntry.Child(7), cell(7))) n.set_remote_port(*t);
    if (auto t = r.CellText(kCdpCacheEntry.Child(8), cell(8))) n.set_remote_platform(*t);
    const VarBind* type = cell(3);
    const VarBind* addr = cell(4);
    if (addr && addr->type == ValueType::kOctetString && (!type || type->number == 1)) {
      if (auto ip = OctetsToIp(addr->bytes)) n.set_remote_address(*ip);
    }
    *d->add_neighbors() = std::move(n);
  }
}

}  // namespace estate::plugins::snmp
