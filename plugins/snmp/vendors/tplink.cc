#include "plugins/snmp/vendors/tplink.h"

namespace estate::plugins::snmp {
namespace {

const Oid kProbeConfig{1, 3, 6, 1, 2, 1, 16, 19};  // RMON2 probeSoftwareRev .2, probeHardwareRev .3

class TplinkPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "tplink"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 11863;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {{kProbeConfig, ""}}; }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("TP-Link");
    d->set_type("switch");
    if (auto v = r.Text(kProbeConfig.Child(3).Child(0))) d->set_model(*v);
    if (auto v = r.Text(kProbeConfig.Child(2).Child(0))) d->set_firmware(*v);
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeTplinkPlugin() { return std::make_unique<TplinkPlugin>(); }

}  // namespace estate::plugins::snmp
