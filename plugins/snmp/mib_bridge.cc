// BRIDGE-MIB dot1dTpFdbTable (per VLAN context on Cisco) and Q-BRIDGE-MIB
// dot1qTpFdbTable: which MAC sits behind which port, in which VLAN.
#include <map>
#include <set>

#include "estate/text.h"
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kDot1qTpFdbPort{1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2};
const Oid kDot1qTpFdbStatus{1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 3};
const Oid kDot1qVlanFdbId{1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 3};

constexpr int64_t kStatusInvalid = 2;
constexpr int64_t kStatusSelf = 4;

std::optional<std::string> MacFromArcs(const std::vector<uint32_t>& idx, size_t pos) {
  if (pos + 6 != idx.size()) return std::nullopt;
  uint8_t raw[6];
  for (size_t i = 0; i < 6; ++i) {
    if (idx[pos + i] > 255) return std::nullopt;
    raw[i] = static_cast<uint8_t>(idx[pos + i]);
  }
  return FormatMac(raw);
}

std::map<uint32_t, uint32_t> BridgePortMap(const MibView& view) {
  std::map<uint32_t, uint32_t> out;
  for (const VarBind* vb : view.Subtree(oids::kDot1dBasePortIfIndex)) {
    auto idx = vb->oid.SuffixAfter(oids::kDot1dBasePortIfIndex);
    if (idx.size() == 1 && vb->IsNumeric() && vb->number > 0) {
      out[idx[0]] = static_cast<uint32_t>(vb->number);
    }
  }
  return out;
}

}  // namespace

void MapBridge(const DeviceData& data, MibReader& r, v1::NetworkDevice* d) {
  std::map<uint32_t, std::string> if_names;
  for (const auto& i : d->interfaces()) if_names[i.index()] = i.name();
  const auto default_ports = BridgePortMap(data.view);
  std::set<std::pair<std::string, uint32_t>> seen;

  auto add = [&](const std::string& mac, uint32_t bridge_port, uint32_t vlan,
                 const std::map<uint32_t, uint32_t>& ports) {
    if (bridge_port == 0) return;  // learned on the CPU / unknown port
    if (!seen.insert({mac, vlan}).second) return;
    v1::FdbEntry e;
    e.set_mac(mac);
    e.set_vlan(vlan);
    std::optional<uint32_t> if_index;
    if (auto it = ports.find(bridge_port); it != ports.end()) {
      if_index = it->second;
    } else if (auto it2 = default_ports.find(bridge_port); it2 != default_ports.end()) {
      if_index = it2->second;
    }
    if (if_index) {
      e.set_port(*if_index);
      auto name = if_names.find(*if_index);
      if (name != if_names.end()) e.set_port_name(name->second);
    } else {
      e.set_port_name("bridge port " + std::to_string(bridge_port));
    }
    *d->add_fdb() = std::move(e);
  };

  // Q-BRIDGE first: it names the VLAN of every entry.
  std::map<uint32_t, uint32_t> fdb_to_vlan;
  for (const VarBind* vb : data.view.Subtree(kDot1qVlanFdbId)) {
    auto idx = vb->oid.SuffixAfter(kDot1qVlanFdbId);
    if (idx.size() == 2 && vb->IsNumeric() && vb->number > 0) {
      fdb_to_vlan.emplace(static_cast<uint32_t>(vb->number), idx[1]);
    }
  }
  for (const auto& [index, vb] : r.Column(kDot1qTpFdbPort)) {
    auto mac = MacFromArcs(index, 1);
    auto port = r.CellInt(kDot1qTpFdbPort, vb);
    if (!mac || !port || *port < 0 || index.empty()) continue;
    const VarBind* st = data.view.Get(kDot1qTpFdbStatus.Append(index));
    if (st && st->IsNumeric() && (st->number == kStatusSelf || st->number == kStatusInvalid)) {
      continue;
    }
    auto vlan = fdb_to_vlan.find(index[0]);
    add(*mac, static_cast<uint32_t>(*port), vlan == fdb_to_vlan.end() ? index[0] : vlan->second,
        default_ports);
  }

  auto dot1d = [&](const MibView& view, uint32_t vlan, const std::map<uint32_t, uint32_t>& ports) {
    for (const VarBind* vb : view.Subtree(oids::kDot1dTpFdbPort)) {
      auto index = vb->oid.SuffixAfter(oids::kDot1dTpFdbPort);
      auto mac = MacFromArcs(index, 0);
      if (!mac) continue;
      if (!vb->IsNumeric()) {
        r.Warn("wrong type at " + vb->oid.ToString() + ": expected a number (ignored)");
        continue;
      }
      const VarBind* st = view.Get(oids::kDot1dTpFdbStatus.Append(index));
      if (st && st->IsNumeric() && (st->number == kStatusSelf || st->number == kStatusInvalid)) {
        continue;
      }
      add(*mac, static_cast<uint32_t>(vb->number), vlan, ports);
    }
  };
  if (d->fdb_size() == 0) dot1d(data.view, 0, default_ports);
  for (const auto& [context, view] : data.contexts) {
    auto vlan = ParseUint(context);
    if (!vlan) continue;
    dot1d(view, static_cast<uint32_t>(*vlan), BridgePortMap(view));
  }
}

}  // namespace estate::plugins::snmp
