#include "collector/reconcile/device_classifier.h"

#include <algorithm>
#include <string>

#include "estate/text.h"

namespace estate::collector {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// DHCP vendor classes (option 60) of common client stacks.
std::string TypeFromDhcp(const v1::DhcpFingerprint& dhcp) {
  const std::string vc = ToLower(dhcp.vendor_class());
  if (StartsWith(vc, "msft")) return "windows_pc";
  if (StartsWith(vc, "android")) return "phone";
  if (StartsWith(vc, "dhcpcd") || StartsWith(vc, "udhcp")) return "linux_device";
  if (Contains(vc, "cisco") || Contains(vc, "aruba") || Contains(vc, "ubnt")) return "network";
  if (Contains(vc, "polycom") || Contains(vc, "yealink") || Contains(vc, "snom")) return "phone";
  if (Contains(vc, "hp ") || Contains(vc, "printer")) return "printer";
  return "";
}

std::string TypeFromPlatform(const std::string& platform) {
  const std::string p = ToLower(platform);
  if (p.empty()) return "";
  if (Contains(p, "printer") || Contains(p, "laserjet") || Contains(p, "_ipp")) return "printer";
  if (Contains(p, "switch") || Contains(p, "ios") || Contains(p, "junos") ||
      Contains(p, "routeros")) {
    return "network";
  }
  if (Contains(p, "phone")) return "phone";
  if (Contains(p, "airplay") || Contains(p, "apple tv")) return "media";
  return "";
}

std::string TypeFromVendor(const std::string& vendor) {
  const std::string v = ToLower(vendor);
  static const std::pair<const char*, const char*> kVendors[] = {
      {"brother", "printer"},
      {"canon", "printer"},
      {"epson", "printer"},
      {"lexmark", "printer"},
      {"kyocera", "printer"},
      {"xerox", "printer"},
      {"cisco", "network"},
      {"juniper", "network"},
      {"aruba", "network"},
      {"ubiquiti", "network"},
      {"mikrotik", "network"},
      {"routerboard", "network"},
      {"tp-link", "network"},
      {"netgear", "network"},
      {"polycom", "phone"},
      {"yealink", "phone"},
      {"axis comm", "camera"},
      {"hikvision", "camera"},
      {"raspberry", "linux_device"},
      {"espressif", "iot"},
      {"tuya", "iot"},
      {"sonos", "media"},
      {"roku", "media"},
      {"vmware", "virtual_machine"},
  };
  for (const auto& [needle, type] : kVendors) {
    if (Contains(v, needle)) return type;
  }
  return "";
}

bool AddEvidence(v1::Asset* asset, const std::string& evidence) {
  for (const auto& e : asset->evidence()) {
    if (e == evidence) return false;
  }
  // A bounded list: a chatty device must not grow its record without end.
  if (asset->evidence_size() >= 16) return false;
  asset->add_evidence(evidence);
  return true;
}

}  // namespace

bool AddObservationEvidence(const v1::Observation& o, v1::Asset* asset) {
  bool changed = false;
  if (asset->vendor().empty() && !o.vendor().empty()) {
    asset->set_vendor(o.vendor());
    changed = true;
  }
  if (asset->hostname().empty() && !o.hostname().empty()) {
    asset->set_hostname(o.hostname());
    changed = true;
  }
  if (!o.vendor().empty()) changed |= AddEvidence(asset, "oui:" + o.vendor());
  if (o.mac_locally_administered()) changed |= AddEvidence(asset, "randomized_mac");
  if (!o.dhcp().vendor_class().empty()) {
    changed |= AddEvidence(asset, "dhcp:" + o.dhcp().vendor_class());
  }
  if (!o.platform().empty()) changed |= AddEvidence(asset, "platform:" + o.platform());

  if (!asset->managed() && asset->device_type().empty()) {
    std::string type = TypeFromDhcp(o.dhcp());
    if (type.empty()) type = TypeFromPlatform(o.platform());
    if (type.empty()) type = TypeFromVendor(o.vendor());
    if (type.empty() && o.mac_locally_administered()) type = "mobile";  // randomized MACs
    if (!type.empty()) {
      asset->set_device_type(type);
      changed = true;
    }
  }
  return changed;
}

void SummarizeNetworkDevice(const v1::NetworkDevice& d, v1::Asset* asset) {
  if (!d.sys_name().empty()) asset->set_hostname(d.sys_name());
  if (!d.vendor().empty()) asset->set_vendor(d.vendor());
  if (!d.model().empty()) asset->set_model(d.model());
  if (!d.serial().empty()) asset->set_serial(d.serial());
  std::string descr = d.sys_descr().substr(0, d.sys_descr().find_first_of("\r\n"));
  if (!d.firmware().empty()) descr = d.firmware();
  if (!descr.empty()) asset->set_os(descr);
  const std::string type = d.type().empty() ? "network" : d.type();
  asset->set_device_type(type);
  if (asset->asset_class().empty()) {
    asset->set_asset_class(type == "printer" || type == "ups" || type == "phone" ? type
                                                                                 : "network");
  }
  std::vector<std::string> ips;
  if (!d.ip().empty()) ips.push_back(d.ip());
  for (const auto& a : d.addresses()) {
    if (a.address().empty() || StartsWith(a.address(), "127.")) continue;
    if (std::find(ips.begin(), ips.end(), a.address()) == ips.end()) ips.push_back(a.address());
  }
  std::sort(ips.begin(), ips.end());
  asset->clear_ips();
  for (auto& ip : ips) asset->add_ips(ip);
  std::vector<std::string> macs;
  for (const auto& i : d.interfaces()) {
    auto mac = NormalizeMac(i.mac());
    if (!mac || *mac == "00:00:00:00:00:00" || IsLocallyAdministeredMac(*mac)) continue;
    if (std::find(macs.begin(), macs.end(), *mac) == macs.end()) macs.push_back(*mac);
  }
  std::sort(macs.begin(), macs.end());
  asset->clear_macs();
  for (auto& mac : macs) asset->add_macs(mac);
  AddEvidence(asset, "snmp:" + type);
}

}  // namespace estate::collector
