#include "plugins/snmp/vendors/ubiquiti.h"

#include "estate/text.h"

namespace estate::plugins::snmp {
namespace {

const Oid kUnifiApSystem{1, 3, 6, 1, 4, 1, 41112, 1, 6, 3};  // .3 model, .6 version
const Oid kFrogfootAirOs{1, 3, 6, 1, 4, 1, 10002, 1};
// IEEE 802.11 MIB dot11manufacturerProductName (airOS fills it).
const Oid kDot11ProductName{1, 2, 840, 10036, 3, 1, 2, 1, 3};
const Oid kDot11ProductVersion{1, 2, 840, 10036, 3, 1, 2, 1, 4};

class UbiquitiPlugin : public VendorPlugin {
 public:
  std::string_view Name() const override { return "ubiquiti"; }
  bool Matches(const DeviceIdent& ident) const override {
    return EnterpriseOf(ident.sys_object_id) == 41112 || ident.sys_object_id == kFrogfootAirOs;
  }
  std::vector<WalkStep> Plan(const DeviceIdent&) const override {
    return {{kUnifiApSystem, ""}, {kDot11ProductName, ""}, {kDot11ProductVersion, ""}};
  }
  void Apply(const DeviceData&, MibReader& r, v1::NetworkDevice* d) const override {
    d->set_vendor("Ubiquiti");
    d->set_type("access_point");
    if (auto v = r.Text(kUnifiApSystem.Child(3).Child(0))) d->set_model(*v);
    if (auto v = r.Text(kUnifiApSystem.Child(6).Child(0))) d->set_firmware(*v);
    if (d->model().empty()) {
      for (const auto& [index, vb] : r.Column(kDot11ProductName)) {
        if (auto t = r.CellText(kDot11ProductName, vb)) {
          d->set_model(*t);
          if (auto v = r.Text(kDot11ProductVersion.Append(index))) {
            // "XC.ar934x.v8.7.4.45112.210415.1103" -> after ".v"
            auto pos = v->find(".v");
            d->set_firmware(pos == std::string::npos ? *v : v->substr(pos + 2));
          }
          break;
        }
      }
    }
    if (d->model().empty()) {  // UniFi sysDescr: "U-LTE-Pro-EU 6.6.57.15206"
      auto words = Split(d->sys_descr(), ' ');
      if (words.size() == 2) {
        d->set_model(std::string(words[0]));
        d->set_firmware(std::string(words[1]));
      }
    }
  }
};

}  // namespace

std::unique_ptr<VendorPlugin> MakeUbiquitiPlugin() { return std::make_unique<UbiquitiPlugin>(); }

}  // namespace estate::plugins::snmp
