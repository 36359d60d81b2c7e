#include "plugins/snmp/vendors/apc.h"

namespace estate::plugins::snmp {
namespace {

const Oid kUpsIdent{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1};  // upsBasicIdent + upsAdvIdent
const Oid kModel{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 1, 1, 0};
const Oid kFirmware{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 2, 1, 0};
const Oid kSerial{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 2, 3, 0};

class ApcPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "apc"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 318;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {{kUpsIdent, ""}}; }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("APC");
    auto model = r.Text(kModel);
    if (!model) {  // a management card without a UPS behind it (PDU, sensor)
      if (std::string mn = FieldAfter(d->sys_descr(), "MN:", " )"); !mn.empty()) d->set_model(mn);
      return;
    }
    d->set_type("ups");
    d->set_model(*model);
    if (auto s = r.Text(kSerial)) d->set_serial(*s);
    if (auto f = r.Text(kFirmware)) d->set_firmware(*f);
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeApcPlugin() { return std::make_unique<ApcPlugin>(); }

}  // namespace estate::plugins::snmp
