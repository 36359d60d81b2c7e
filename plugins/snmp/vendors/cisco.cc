#include "plugins/snmp/vendors/cisco.h"

#include "estate/text.h"
#include "plugins/snmp/standard_mibs.h"

namespace estate::plugins::snmp {
namespace {

const Oid kVtpVlanState{1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 2};

class CiscoPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "cisco"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 9;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {{kVtpVlanState, ""}}; }

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
