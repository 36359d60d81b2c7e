#include "plugins/snmp/vendors/net_snmp.h"

#include "estate/text.h"

namespace estate::plugins::snmp {
namespace {

class NetSnmpPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "net_snmp"; }
  bool Matches(const DeviceIdent& ident) const override {
    const uint32_t pen = EnterpriseOf(ident.sys_object_id);
    return pen == 8072 || pen == 2021 || pen == 311;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override { return {}; }
  void Apply(const DeviceData&, MibReader&, v1::NetworkDevice* d) const override {
    if (!d->type().empty()) return;  // a more specific plugin (Synology) decided
    const std::string& descr = d->sys_descr();
    d->set_type("server");
    if (descr.starts_with("Linux ")) {
      // "Linux HOST 4.9.0 #1 SMP ..." -> kernel release
      auto words = Split(descr, ' ');
      if (words.size() >= 3) d->set_firmware(std::string(words[2]));
    } else if (descr.find("Windows Version ") != std::string::npos) {
      d->set_vendor("Microsoft");
      d->set_firmware("Windows " + FieldAfter(descr, "Windows Version ", " "));
    }
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeNetSnmpPlugin() { return std::make_unique<NetSnmpPlugin>(); }

}  // namespace estate::plugins::snmp
