#include "plugins/snmp/vendors/hp_jetdirect.h"

namespace estate::plugins::snmp {
namespace {

const Oid kJetdirect{1, 3, 6, 1, 4, 1, 11, 2, 3, 9};
// IEEE 1284 device ID string ("MFG:Hewlett-Packard;MDL:HP Color LaserJet ...;").
const Oid kDeviceId{1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1, 1, 7};

std::string StripHp(std::string model) {
  if (model.starts_with("HP ")) model.erase(0, 3);
  return model;
}

class HpJetdirectPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "hp_jetdirect"; }
  bool Matches(const DeviceIdent& ident) const override {
    return ident.sys_object_id.StartsWith(kJetdirect);
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {{kDeviceId, ""}}; }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("HP");
    d->set_type("printer");
    // "HP ETHERNET MULTI-ENVIRONMENT,SN:VNB3J99999,FN:1F31B6C,SVCID:99999,PID:HP Color LaserJet Pro
    // M252dw"
    const std::string& descr = d->sys_descr();
    std::string model = FieldAfter(descr, "PID:", ",");
    if (model.empty()) {
      if (auto id = r.Text(kDeviceId.Child(0))) model = FieldAfter(*id, "MDL:", ";");
    }
    if (!model.empty()) d->set_model(StripHp(model));
    if (std::string sn = FieldAfter(descr, "SN:", ","); !sn.empty() && d->serial().empty()) {
      d->set_serial(sn);
    }
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeHpJetdirectPlugin() {
  return std::make_unique<HpJetdirectPlugin>();
}

}  // namespace estate::plugins::snmp
