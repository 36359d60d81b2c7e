#include "plugins/snmp/vendors/cisco.h"

#include <map>

#include "estate/text.h"
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kVtpVlanState{1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 2};
const Oid kVtpVlanName{1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 4};
// CISCO-VLAN-MEMBERSHIP-MIB vmVlan: an access port's VLAN, by ifIndex.
const Oid kVmVlan{1, 3, 6, 1, 4, 1, 9, 9, 68, 1, 2, 2, 1, 2};

// Catalysts do not implement Q-BRIDGE: their VLANs are the VTP table (with
// names) and their access ports' VLANs vmVlan, an untagged membership and
// the port's PVID. Trunk memberships are not collected.
void MapCiscoVlans(MibReader& r, v1::NetworkDevice* d) {
  if (d->vlans_size() > 0) return;  // the device spoke Q-BRIDGE after all
  std::map<uint32_t, v1::DeviceVlan> vlans;
  for (const auto& [index, vb] : r.Column(kVtpVlanState)) {
    if (index.size() != 2 || index[1] < 1 || index[1] > 4094) continue;
    vlans[index[1]].set_id(index[1]);
  }
  for (const auto& [index, vb] : r.Column(kVtpVlanName)) {
    if (index.size() != 2) continue;
    auto it = vlans.find(index[1]);
    if (it == vlans.end()) continue;
    if (auto name = r.CellText(kVtpVlanName, vb)) it->second.set_name(*name);
  }
  std::map<uint32_t, v1::DeviceInterface*> by_if_index;
  for (auto& i : *d->mutable_interfaces()) by_if_index[i.index()] = &i;
  for (const auto& [index, vb] : r.Column(kVmVlan)) {
    if (index.size() != 1) continue;
    auto vlan = r.CellInt(kVmVlan, vb);
    if (!vlan || *vlan < 1 || *vlan > 4094) continue;
    auto it = vlans.find(static_cast<uint32_t>(*vlan));
    if (it == vlans.end()) continue;
    it->second.add_ports(index[0]);
    it->second.add_untagged_ports(index[0]);
    if (auto i = by_if_index.find(index[0]); i != by_if_index.end() && i->second->pvid() == 0) {
      i->second->set_pvid(static_cast<uint32_t>(*vlan));
    }
  }
  for (auto& [id, vlan] : vlans) *d->add_vlans() = std::move(vlan);
}

class CiscoPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "cisco"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 9;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override {
    return {{kVtpVlanState, ""}, {kVtpVlanName, ""}, {kVmVlan, ""}};
  }

  // Cisco's BRIDGE-MIB shows one VLAN per community context ("public@10").
  std::vector<WalkStep> FollowUp(const DeviceData& data) const override {
    std::vector<WalkStep> steps;
    for (const VarBind* vb : data.view.Subtree(kVtpVlanState)) {
      auto idx = vb->oid.SuffixAfter(kVtpVlanState);  // managementDomain.vlan
      if (idx.size() != 2 || !vb->IsNumeric() || vb->number != 1) continue;  // operational
      const uint32_t vlan = idx[1];
      // VLAN 1 is what the plain community shows; 1002-1005 are FDDI/Token Ring defaults.
      if (vlan == 1 || (vlan >= 1002 && vlan <= 1005)) continue;
      const std::string context = std::to_string(vlan);
      steps.push_back({oids::kDot1dBasePortIfIndex, context});
      steps.push_back({oids::kDot1dTpFdbPort, context});
      steps.push_back({oids::kDot1dTpFdbStatus, context});
    }
    return steps;
  }

  void Apply(const DeviceData& data, MibReader& r, v1::NetworkDevice* d) const override {
    (void)data;
    d->set_vendor("Cisco");
    MapCiscoVlans(r, d);
    const std::string& descr = d->sys_descr();
    // "Cisco IOS Software, C3560 Software (...), Version 12.2(55)SE12, RELEASE ..."
    if (std::string v = FieldAfter(descr, "Version ", ", \n"); !v.empty()) d->set_firmware(v);
    if (d->type().empty()) {
      const std::string model = ToLower(d->model());
      const std::string lower = ToLower(descr);
      auto ports = r.Int(oids::kDot1dBaseNumPorts.Child(0));
      if (lower.find("adaptive security") != std::string::npos || model.starts_with("asa")) {
        d->set_type("firewall");
      } else if (model.starts_with("air-") || lower.find("aironet") != std::string::npos) {
        d->set_type("access_point");
      } else if (model.starts_with("ws-c") || model.starts_with("c9") ||
                 lower.find("switch") != std::string::npos || (ports && *ports > 1)) {
        d->set_type("switch");
      } else if (model.starts_with("cp-") || lower.find("ip phone") != std::string::npos) {
        d->set_type("phone");
      } else {
        d->set_type("router");
      }
    }
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeCiscoPlugin() { return std::make_unique<CiscoPlugin>(); }

}  // namespace estate::plugins::snmp
