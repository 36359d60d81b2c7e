#include "plugins/snmp/vendors/synology.h"

namespace estate::plugins::snmp {
namespace {

const Oid kNetSnmpLinux{1, 3, 6, 1, 4, 1, 8072, 3, 2, 10};
const Oid kSynoSystem{1, 3, 6, 1, 4, 1, 6574, 1, 5};  // modelName, serialNumber, version

class SynologyPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "synology"; }
  // DSM answers as a plain net-snmp Linux agent; only its MIB tells it apart.
  bool Matches(const DeviceIdent& ident) const override {
    return ident.sys_object_id == kNetSnmpLinux || EnterpriseOf(ident.sys_object_id) == 6574;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {{kSynoSystem, ""}}; }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    auto model = r.Text(kSynoSystem.Child(1).Child(0));
    if (!model) return;
    d->set_vendor("Synology");
    d->set_type("storage");
    d->set_model(*model);
    if (auto s = r.Text(kSynoSystem.Child(2).Child(0))) d->set_serial(*s);
    if (auto v = r.Text(kSynoSystem.Child(3).Child(0))) {
      d->set_firmware(v->starts_with("DSM ") ? v->substr(4) : *v);
    }
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeSynologyPlugin() { return std::make_unique<SynologyPlugin>(); }

}  // namespace estate::plugins::snmp
