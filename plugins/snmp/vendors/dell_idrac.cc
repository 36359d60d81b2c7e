#include "plugins/snmp/vendors/dell_idrac.h"

namespace estate::plugins::snmp {
namespace {

const Oid kDellRac{1, 3, 6, 1, 4, 1, 674, 10892};
const Oid kDrsProductInfo{1, 3, 6, 1, 4, 1, 674, 10892, 2, 1, 1};  // .2 name, .11 service tag
const Oid kDrsFirmwareVersion{1, 3, 6, 1, 4, 1, 674, 10892, 2, 1, 2, 1};

class DellIdracPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "dell_idrac"; }
  bool Matches(const DeviceIdent& ident) const override {
    return ident.sys_object_id.StartsWith(kDellRac);
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override {
    return {{kDrsProductInfo, ""}, {kDrsFirmwareVersion, ""}};
  }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("Dell");
    d->set_type("server");  // the controller of one
    if (auto v = r.Text(kDrsProductInfo.Child(2).Child(0))) d->set_model(*v);
    if (auto v = r.Text(kDrsProductInfo.Child(11).Child(0))) d->set_serial(*v);
    if (auto v = r.Text(kDrsFirmwareVersion.Child(0))) d->set_firmware(*v);
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeDellIdracPlugin() { return std::make_unique<DellIdracPlugin>(); }

}  // namespace estate::plugins::snmp
