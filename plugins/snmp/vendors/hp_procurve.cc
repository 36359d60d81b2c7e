#include "plugins/snmp/vendors/hp_procurve.h"

namespace estate::plugins::snmp {
namespace {

const Oid kProcurveSwitches{1, 3, 6, 1, 4, 1, 11, 2, 3, 7, 11};
const Oid kHpHttpMgSerialNumber{1, 3, 6, 1, 4, 1, 11, 2, 36, 1, 1, 2, 9, 0};
const Oid kHpHttpMgSerialParent{1, 3, 6, 1, 4, 1, 11, 2, 36, 1, 1, 2, 9};
const Oid kHpSwitchOsVersion{1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 5, 1, 1, 3};

class HpProcurvePlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "hp_procurve"; }
  bool Matches(const DeviceIdent& ident) const override {
    return ident.sys_object_id.StartsWith(kProcurveSwitches);
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override {
    return {{kHpHttpMgSerialParent, ""}, {kHpSwitchOsVersion, ""}};
  }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("HP");
    d->set_type("switch");
    // "HP J9146A E2910al-24G-PoE Switch, revision W.15.08.0012, ROM W.14.06 (...)"
    const std::string& descr = d->sys_descr();
    if (descr.starts_with("HP ")) {
      size_t end = descr.find(" Switch");
      if (end != std::string::npos) d->set_model(descr.substr(3, end - 3));
    }
    if (auto v = r.Text(kHpSwitchOsVersion.Child(0))) {
      d->set_firmware(*v);
    } else if (std::string v = FieldAfter(descr, "revision ", ", "); !v.empty()) {
      d->set_firmware(v);
    }
    if (auto s = r.Text(kHpHttpMgSerialNumber)) d->set_serial(*s);
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeHpProcurvePlugin() {
  return std::make_unique<HpProcurvePlugin>();
}

}  // namespace estate::plugins::snmp
