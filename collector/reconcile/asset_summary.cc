#include "collector/reconcile/asset_summary.h"

#include <algorithm>
#include <set>

#include "collector/reconcile/interface_macs.h"
#include "collector/store/keys.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Placeholder serials firmware ships with; they identify nothing.
bool IsMeaningfulSerial(std::string_view s) {
  const std::string v = ToLower(Trim(s));
  static const char* kJunk[] = {"",
                                "0",
                                "none",
                                "n/a",
                                "na",
                                "default string",
                                "to be filled by o.e.m.",
                                "system serial number",
                                "not specified",
                                "not applicable",
                                "0123456789",
                                "123456789",
                                "unavailable"};
  for (const char* junk : kJunk) {
    if (v == junk) return false;
  }
  return v.find_first_not_of("0 ") != std::string::npos;
}

bool IsMeaningfulUuid(std::string_view s) {
  const std::string v = ToLower(Trim(s));
  if (v.size() < 32) return false;
  return v.find_first_not_of("0-") != std::string::npos &&
         v.find_first_not_of("f-") != std::string::npos;
}

std::string OsLabel(const v1::OsFacts& os) {
  if (!os.pretty_name().empty()) return os.pretty_name();
  if (os.version().empty()) return os.name();
  return os.name() + " " + os.version();
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ",";
    out += v;
  }
  return out;
}

}  // namespace

std::vector<std::string> HardwareMacs(const v1::HostFacts& facts) {
  std::set<std::string> macs;
  for (const auto& nic : facts.network().interfaces()) {
    if (nic.is_virtual() || nic.kind() == "loopback") continue;
    std::string_view raw = !nic.permanent_mac().empty() ? nic.permanent_mac() : nic.mac();
    auto mac = NormalizeMac(raw);
    if (!mac || *mac == "00:00:00:00:00:00" || IsLocallyAdministeredMac(*mac)) continue;
    // Multicast bit set: not a station address.
    if (std::stoi(mac->substr(0, 2), nullptr, 16) & 1) continue;
    macs.insert(*mac);
  }
  return {macs.begin(), macs.end()};
}

const std::vector<std::string>& SecurityGapNames() {
  static const auto* names = new std::vector<std::string>{"disk_encryption", "secure_boot", "tpm",
                                                          "firewall", "auto_updates"};
  return *names;
}

std::vector<std::string> SecurityGaps(const v1::HostFacts& facts) {
  std::vector<std::string> gaps;
  if (!facts.has_security()) return gaps;  // an agent that does not look claims nothing
  const v1::SecurityPosture& s = facts.security();
  if (!s.root_encrypted()) gaps.push_back("disk_encryption");
  // Empty: the agent could not tell (no efivars readable); "unsupported" is a
  // BIOS boot, where Secure Boot is not in force either.
  if (!s.secure_boot().empty() && s.secure_boot() != "enabled") gaps.push_back("secure_boot");
  if (s.tpm_version().empty()) gaps.push_back("tpm");
  if (!s.firewall_enabled()) gaps.push_back("firewall");
  if (!s.auto_updates()) gaps.push_back("auto_updates");
  return gaps;
}

void SummarizeFields(const v1::HostFacts& facts, const std::vector<int>& fields, v1::Asset* asset) {
  bool class_inputs = false;
  for (int field : fields) {
    switch (field) {
      case v1::HostFacts::kHostnameFieldNumber:
        asset->set_hostname(facts.hostname());
        break;
      case v1::HostFacts::kFqdnFieldNumber:
        asset->set_fqdn(facts.fqdn());
        break;
      case v1::HostFacts::kMachineIdFieldNumber:
        asset->set_machine_id(facts.machine_id());
        break;
      case v1::HostFacts::kKernelFieldNumber:
        asset->set_kernel(facts.kernel());
        break;
      case v1::HostFacts::kOsFieldNumber:
        asset->set_os(OsLabel(facts.os()));
        break;
      case v1::HostFacts::kSystemFieldNumber:
        class_inputs = true;
        break;
      case v1::HostFacts::kDmiFieldNumber:
        asset->set_vendor(facts.dmi().system_vendor());
        asset->set_model(facts.dmi().product_name());
        asset->set_serial(IsMeaningfulSerial(facts.dmi().serial()) ? facts.dmi().serial() : "");
        asset->set_dmi_uuid(IsMeaningfulUuid(facts.dmi().uuid()) ? ToLower(facts.dmi().uuid())
                                                                 : "");
        class_inputs = true;
        break;
      case v1::HostFacts::kCpuFieldNumber:
        asset->set_cpu_logical(facts.cpu().logical());
        asset->set_cpu_cores(facts.cpu().cores());
        asset->set_cpu_sockets(facts.cpu().sockets());
        break;
      case v1::HostFacts::kMemoryFieldNumber:
        asset->set_memory_bytes(facts.memory().total_bytes());
        break;
      case v1::HostFacts::kNetworkFieldNumber: {
        asset->clear_macs();
        for (const auto& mac : InterfaceMacs(facts)) asset->add_macs(mac);
        std::set<std::string> ips;
        for (const auto& nic : facts.network().interfaces()) {
          if (nic.kind() == "loopback") continue;
          for (const auto& addr : nic.addresses()) {
            if (addr.scope() == "host" || addr.scope() == "link") continue;
            if (StartsWith(addr.address(), "127.") || addr.address() == "::1" ||
                StartsWith(ToLower(addr.address()), "fe80:")) {
              continue;
            }
            ips.insert(addr.address());
          }
        }
        asset->clear_ips();
        for (const auto& ip : ips) asset->add_ips(ip);
        break;
      }
      case v1::HostFacts::kSecurityFieldNumber:
        asset->clear_security_gaps();
        for (const auto& gap : SecurityGaps(facts)) asset->add_security_gaps(gap);
        break;
      default:
        break;
    }
  }
  if (class_inputs && asset->asset_class().empty()) {
    const std::string chassis = ToLower(facts.dmi().chassis_type());
    if (chassis.find("laptop") != std::string::npos ||
        chassis.find("notebook") != std::string::npos ||
        chassis.find("portable") != std::string::npos) {
      asset->set_asset_class("laptop");
    } else if (chassis.find("desktop") != std::string::npos ||
               chassis.find("tower") != std::string::npos) {
      asset->set_asset_class("workstation");
    } else {
      asset->set_asset_class(facts.system().virtualization().empty() ? "server"
                                                                     : "virtual_machine");
    }
  }
}

void SummarizeFacts(const v1::HostFacts& facts, v1::Asset* asset) {
  static const std::vector<int> kAll = {
      v1::HostFacts::kHostnameFieldNumber,  v1::HostFacts::kFqdnFieldNumber,
      v1::HostFacts::kMachineIdFieldNumber, v1::HostFacts::kKernelFieldNumber,
      v1::HostFacts::kSystemFieldNumber,    v1::HostFacts::kDmiFieldNumber,
      v1::HostFacts::kCpuFieldNumber,       v1::HostFacts::kMemoryFieldNumber,
      v1::HostFacts::kNetworkFieldNumber,   v1::HostFacts::kOsFieldNumber,
      v1::HostFacts::kSecurityFieldNumber};
  SummarizeFields(facts, kAll, asset);
  asset->set_software_count(static_cast<uint32_t>(facts.software_size()));
}

std::vector<std::pair<std::string, std::string>> AssetIdentities(const v1::Asset& asset) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](std::string_view kind, const std::string& value) {
    if (!value.empty()) out.emplace_back(std::string(kind), value);
  };
  add(identity::kMachineId, asset.machine_id());
  add(identity::kDmiUuid, asset.dmi_uuid());
  add(identity::kSerial, asset.serial());
  add(identity::kHostname, ToLower(asset.hostname()));
  if (asset.fqdn().find('.') != std::string::npos) add(identity::kFqdn, ToLower(asset.fqdn()));
  for (const auto& mac : asset.macs()) add(identity::kMac, mac);
  for (const auto& ip : asset.ips()) add(identity::kIp, ip);
  if (auto tag = asset.attributes().find("asset_tag"); tag != asset.attributes().end()) {
    add(identity::kAssetTag, ToLower(tag->second));  // unique and found in any case
  }
  return out;
}

std::vector<v1::FieldChange> DiffSummaries(const v1::Asset& before, const v1::Asset& after) {
  std::vector<v1::FieldChange> changes;
  auto diff = [&](const char* field, const std::string& a, const std::string& b) {
    if (a == b) return;
    v1::FieldChange change;
    change.set_field(field);
    change.set_before(a);
    change.set_after(b);
    changes.push_back(std::move(change));
  };
  diff("hostname", before.hostname(), after.hostname());
  diff("os", before.os(), after.os());
  diff("kernel", before.kernel(), after.kernel());
  diff("vendor", before.vendor(), after.vendor());
  diff("model", before.model(), after.model());
  diff("serial", before.serial(), after.serial());
  diff("macs", Join(before.macs()), Join(after.macs()));
  diff("ips", Join(before.ips()), Join(after.ips()));
  diff("cpu_logical", std::to_string(before.cpu_logical()), std::to_string(after.cpu_logical()));
  diff("memory_bytes", std::to_string(before.memory_bytes()), std::to_string(after.memory_bytes()));
  diff("security_gaps", Join(before.security_gaps()), Join(after.security_gaps()));
  diff("software_count", std::to_string(before.software_count()),
       std::to_string(after.software_count()));
  return changes;
}

}  // namespace estate::collector
