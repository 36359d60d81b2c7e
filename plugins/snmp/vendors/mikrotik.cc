#include "plugins/snmp/vendors/mikrotik.h"

namespace estate::plugins::snmp {
namespace {

const Oid kMtxrSystem{1, 3, 6, 1, 4, 1, 14988, 1, 1, 7};
const Oid kMtxrLicense{1, 3, 6, 1, 4, 1, 14988, 1, 1, 4};

class MikrotikPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "mikrotik"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 14988;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override {
    return {{kMtxrSystem, ""}, {kMtxrLicense, ""}};
  }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("MikroTik");
    if (d->type().empty()) d->set_type("router");
    if (auto v = r.Text(kMtxrSystem.Child(9).Child(0))) {
      d->set_model(*v);  // mtxrBoardName
    } else if (d->sys_descr().starts_with("RouterOS ")) {
      d->set_model(d->sys_descr().substr(9));
    }
    if (auto v = r.Text(kMtxrSystem.Child(3).Child(0))) d->set_serial(*v);
    if (auto v = r.Text(kMtxrLicense.Child(4).Child(0))) {
      d->set_firmware(*v);  // mtxrLicVersion: the RouterOS version
    } else if (auto fw = r.Text(kMtxrSystem.Child(4).Child(0))) {
      d->set_firmware(*fw);
    }
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeMikrotikPlugin() { return std::make_unique<MikrotikPlugin>(); }

}  // namespace estate::plugins::snmp
