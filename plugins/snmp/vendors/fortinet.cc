#include "plugins/snmp/vendors/fortinet.h"

namespace estate::plugins::snmp {
namespace {

const Oid kFgSysVersion{1, 3, 6, 1, 4, 1, 12356, 101, 4, 1, 1};

class FortinetPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "fortinet"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 12356;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {{kFgSysVersion, ""}}; }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("Fortinet");
    d->set_type("firewall");
    // ENTITY-MIB names the model "FGT_60F"; the product is "FortiGate 60F".
    std::string model = d->model();
    if (model.starts_with("FGT_")) d->set_model("FortiGate " + model.substr(4));
    if (model.starts_with("FWF_")) d->set_model("FortiWiFi " + model.substr(4));
    if (auto v = r.Text(kFgSysVersion.Child(0))) d->set_firmware(*v);
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeFortinetPlugin() { return std::make_unique<FortinetPlugin>(); }

}  // namespace estate::plugins::snmp
