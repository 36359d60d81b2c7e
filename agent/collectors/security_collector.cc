#include "agent/collectors/security_collector.h"

#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "agent/collectors/storage_collector.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr std::string_view kEfiGlobal = "8be4df61-93ca-11d2-aa0d-00e098032b8c";

std::string Basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// dm-N -> its crypt scheme, following LVM and other stacked mappings down
// through slaves/ (a root LV on a LUKS PV is encrypted).
std::string StackedCryptScheme(const HostRoot& root, const std::string& dm, int depth = 0) {
  if (depth > 8) return "";  // a loop in a hostile tree
  const std::string dir = "/sys/block/" + dm;
  auto uuid = root.ReadLine(dir + "/dm/uuid");
  if (uuid.ok()) {
    if (std::string scheme = CryptScheme(*uuid); !scheme.empty()) return scheme;
  }
  auto slaves = root.ListDir(dir + "/slaves");
  if (!slaves.ok()) return "";
  for (const auto& slave : *slaves) {
    if (!StartsWith(slave, "dm-")) continue;
    if (std::string scheme = StackedCryptScheme(root, slave, depth + 1); !scheme.empty()) {
      return scheme;
    }
  }
  return "";
}

// The last byte of an efivar (after its 4-byte attributes); nullopt when absent.
std::optional<uint8_t> EfiByte(const HostRoot& root, std::string_view name) {
  auto bytes = root.ReadFile(
      "/sys/firmware/efi/efivars/" + std::string(name) + "-" + std::string(kEfiGlobal), 64);
  if (!bytes.ok() || bytes->size() < 5) return std::nullopt;
  return static_cast<uint8_t>(bytes->back());
}

// Units linked into some target's .wants or .requires under /etc: enabled.
// Listed, not stat()ed: the links' absolute targets lie outside a fixture root.
std::set<std::string> EnabledUnits(const HostRoot& root) {
  constexpr std::string_view kEtc = "/etc/systemd/system";
  std::set<std::string> units;
  auto dirs = root.ListDir(kEtc);
  if (!dirs.ok()) return units;
  for (const auto& dir : *dirs) {
    if (!dir.ends_with(".wants") && !dir.ends_with(".requires")) continue;
    if (auto names = root.ListDir(std::string(kEtc) + "/" + dir); names.ok()) {
      units.insert(names->begin(), names->end());
    }
  }
  return units;
}

class SecurityCollector : public Collector {
 public:
  std::string_view Name() const override { return "security"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    v1::SecurityPosture& posture = *facts->mutable_security();
    CollectVolumes(root, facts, &posture);
    CollectBoot(root, &posture);
    const std::set<std::string> enabled = EnabledUnits(root);
    CollectFirewall(root, enabled, &posture);
    CollectUpdates(root, enabled, &posture);
  }

 private:
  void CollectVolumes(const HostRoot& root, v1::HostFacts* facts,
                      v1::SecurityPosture* posture) const {
    auto mounts = root.ReadFile("/proc/self/mounts", 8 << 20);
    if (!mounts.ok()) mounts = root.ReadFile("/proc/mounts", 8 << 20);
    if (!mounts.ok()) {
      AddWarning(facts, Name(), mounts.status());
      return;
    }
    std::map<std::string, std::string> dm_by_name;  // mapper name -> dm-N
    if (auto blocks = root.ListDir("/sys/block"); blocks.ok()) {
      for (const auto& block : *blocks) {
        if (!StartsWith(block, "dm-")) continue;
        if (auto name = root.ReadLine("/sys/block/" + block + "/dm/name"); name.ok()) {
          dm_by_name[*name] = block;
        }
      }
    }
    for (const auto& fs : ParseMounts(*mounts)) {
      const std::string& device = fs.device();
      if (!StartsWith(device, "/dev/") || StartsWith(device, "/dev/loop")) continue;
      std::string dm;
      if (StartsWith(device, "/dev/mapper/")) {
        auto it = dm_by_name.find(Basename(device));
        if (it != dm_by_name.end()) dm = it->second;
      } else if (StartsWith(device, "/dev/dm-")) {
        dm = Basename(device);
      }
      v1::EncryptedVolume& volume = *posture->add_volumes();
      volume.set_mount_point(fs.mount_point());
      volume.set_device(device);
      if (!dm.empty()) volume.set_scheme(StackedCryptScheme(root, dm));
      volume.set_encrypted(!volume.scheme().empty());
      if (fs.mount_point() == "/") posture->set_root_encrypted(volume.encrypted());
    }
  }

  static void CollectBoot(const HostRoot& root, v1::SecurityPosture* posture) {
    if (!root.Exists("/sys/firmware/efi")) {
      posture->set_secure_boot("unsupported");  // booted by a BIOS (or CSM)
    } else if (EfiByte(root, "SetupMode") == uint8_t{1}) {
      posture->set_secure_boot("setup_mode");  // no platform key: nothing is enforced
    } else if (auto state = EfiByte(root, "SecureBoot"); state.has_value()) {
      posture->set_secure_boot(*state == 1 ? "enabled" : "disabled");
    } else {
      posture->set_secure_boot("disabled");  // UEFI without the variable: no Secure Boot
    }
    if (auto major = root.ReadLine("/sys/class/tpm/tpm0/tpm_version_major"); major.ok()) {
      posture->set_tpm_version(*major == "2" ? "2.0" : *major == "1" ? "1.2" : *major);
    } else if (root.Exists("/sys/class/tpm/tpm0")) {
      // Kernels before 5.6: a TPM 1.2 has caps, only a TPM 2.0 a resource manager.
      auto caps = root.ReadFile("/sys/class/tpm/tpm0/caps", 4096);
      if (caps.ok() && caps->find("TCG version: 1.2") != std::string::npos) {
        posture->set_tpm_version("1.2");
      } else {
        posture->set_tpm_version(root.Exists("/dev/tpmrm0") ? "2.0" : "unknown");
      }
    }
  }

  static void CollectFirewall(const HostRoot& root, const std::set<std::string>& enabled,
                              v1::SecurityPosture* posture) {
    if (auto conf = root.ReadFile("/etc/ufw/ufw.conf", 64 << 10); conf.ok()) {
      for (std::string_view line : Split(*conf, '\n')) {
        line = Trim(line);
        if (StartsWith(line, "ENABLED=") && ToLower(Trim(line.substr(8))) == "yes") {
          posture->add_firewalls("ufw");
        }
      }
    }
    static constexpr std::pair<std::string_view, std::string_view> kUnits[] = {
        {"firewalld.service", "firewalld"},
        {"nftables.service", "nftables"},
        {"netfilter-persistent.service", "iptables"},  // Debian iptables-persistent
        {"iptables.service", "iptables"},              // RHEL iptables-services
    };
    for (const auto& [unit, name] : kUnits) {
      if (enabled.count(std::string(unit)) == 0) continue;
      bool listed = false;
      for (const auto& f : posture->firewalls()) listed |= f == name;
      if (!listed) posture->add_firewalls(std::string(name));
    }
    posture->set_firewall_enabled(posture->firewalls_size() > 0);
  }

  static void CollectUpdates(const HostRoot& root, const std::set<std::string>& enabled,
                             v1::SecurityPosture* posture) {
    if (root.Exists("/usr/bin/unattended-upgrade")) {
      // apt reads apt.conf.d in name order: the last file to set it wins.
      std::optional<std::string> value;
      if (auto files = root.ListDir("/etc/apt/apt.conf.d"); files.ok()) {
        for (const auto& file : *files) {
          auto text = root.ReadFile("/etc/apt/apt.conf.d/" + file, 1 << 20);
          if (!text.ok()) continue;
          if (auto v = AptPeriodicUnattendedUpgrade(*text); v.has_value()) value = v;
        }
      }
      if (value.has_value() && *value != "0" && *value != "false" &&
          enabled.count("apt-daily-upgrade.timer") > 0) {
        posture->set_auto_updates(true);
        posture->set_auto_updates_by("unattended-upgrades");
        return;
      }
    }
    for (std::string_view timer : {"dnf-automatic.timer", "dnf-automatic-install.timer"}) {
      if (enabled.count(std::string(timer)) > 0) {
        posture->set_auto_updates(true);
        posture->set_auto_updates_by("dnf-automatic");
        return;
      }
    }
  }
};

}  // namespace

std::string CryptScheme(std::string_view dm_uuid) {
  constexpr std::string_view kPrefix = "CRYPT-";
  if (!StartsWith(dm_uuid, kPrefix)) return "";
  dm_uuid.remove_prefix(kPrefix.size());
  return std::string(dm_uuid.substr(0, dm_uuid.find('-')));
}

std::optional<std::string> AptPeriodicUnattendedUpgrade(std::string_view text) {
  // Comments (//, #) removed; then either APT::Periodic::Unattended-Upgrade "1";
  // or APT { Periodic { Unattended-Upgrade "1"; }; }: the key's last segment
  // inside a Periodic scope.
  std::string clean;
  for (std::string_view line : Split(text, '\n')) {
    std::string_view code = line;
    if (size_t c = code.find("//"); c != std::string_view::npos) code = code.substr(0, c);
    if (StartsWith(Trim(code), "#")) continue;
    clean.append(code);
    clean.push_back('\n');
  }
  std::optional<std::string> value;
  std::vector<std::string> scopes;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < clean.size() && std::isspace(static_cast<unsigned char>(clean[i]))) ++i;
  };
  while (i < clean.size()) {
    skip_space();
    if (i >= clean.size()) break;
    if (clean[i] == '}') {
      if (!scopes.empty()) scopes.pop_back();
      ++i;
      continue;
    }
    if (clean[i] == ';') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < clean.size() && !std::isspace(static_cast<unsigned char>(clean[i])) &&
           clean[i] != '{' && clean[i] != ';' && clean[i] != '"' && clean[i] != '}') {
      ++i;
    }
    std::string key = clean.substr(start, i - start);
    skip_space();
    if (i < clean.size() && clean[i] == '{') {
      scopes.push_back(key);
      ++i;
      continue;
    }
    std::string val;
    if (i < clean.size() && clean[i] == '"') {
      size_t end = clean.find('"', i + 1);
      if (end == std::string::npos) break;
      val = clean.substr(i + 1, end - i - 1);
      i = end + 1;
    } else if (key.empty()) {
      ++i;  // a stray character
      continue;
    }
    std::string full;
    for (const auto& s : scopes) full += s + "::";
    full += key;
    if (ToLower(full) == "apt::periodic::unattended-upgrade") value = val;
  }
  return value;
}

std::unique_ptr<Collector> MakeSecurityCollector() { return std::make_unique<SecurityCollector>(); }

}  // namespace estate::agent
