#include "tests/loadgen/simulated_fleet.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>

#include "tests/loadgen/access_switch.h"
#include "tests/loadgen/det_random.h"

namespace estate::loadgen {
namespace {

// Revision 0 is "collected" on 2025-01-31; each later revision one hour after
// the one before. Fixed times keep the facts a pure function of the state.
constexpr int64_t kEpoch = 1735689600;  // 2025-01-01T00:00:00Z
constexpr int64_t kRevisionZeroAt = kEpoch + 30 * 86400;
constexpr int64_t kRevisionSeconds = 3600;
constexpr uint64_t kGiB = 1ull << 30;

int64_t RevisionTime(uint32_t revision) {
  return kRevisionZeroAt + static_cast<int64_t>(revision) * kRevisionSeconds;
}

enum class Kind { kLaptop, kDesktop, kServer, kVirtual };

struct Model {
  Kind kind;
  const char* vendor;
  const char* product;
  const char* product_version;
  const char* chassis;
  const char* bios_vendor;
  const char* bios_version;
  const char* bios_date;
  const char* board;
  const char* serial_prefix;  // nullptr: the firmware reports a placeholder
  int serial_digits;          // base-36 digits after the prefix
  const char* oui;            // primary NIC
  const char* oui_vendor;     // as the IEEE registry names it
  const char* driver;
  const char* virtualization;
};

const Model kModels[] = {
    {Kind::kLaptop, "Dell Inc.", "Latitude 5440", "", "Notebook", "Dell Inc.", "1.14.1",
     "06/11/2024", "0K3X8V", "", 7, "3c:fd:fe", "Intel Corporate", "iwlwifi", ""},
    {Kind::kLaptop, "LENOVO", "21HD0044GE", "ThinkPad T14 Gen 4", "Notebook", "LENOVO",
     "R2FET55W (1.35 )", "04/18/2024", "21HD0044GE", "PF", 6, "a0:36:9f", "Intel Corporate",
     "iwlwifi", ""},
    {Kind::kLaptop, "HP", "HP EliteBook 840 14 inch G10 Notebook PC", "SBKPF", "Notebook", "HP",
     "V70 Ver. 01.05.01", "02/21/2024", "8B41", "5CG", 7, "3c:fd:fe", "Intel Corporate", "iwlwifi",
     ""},
    {Kind::kDesktop, "Dell Inc.", "OptiPlex 7010", "", "Desktop", "Dell Inc.", "1.11.0",
     "03/05/2024", "0WR7PY", "", 7, "f8:bc:12", "Dell Inc.", "e1000e", ""},
    {Kind::kDesktop, "LENOVO", "11T30028GE", "ThinkCentre M70q Gen 3", "Desktop", "LENOVO",
     "M3AKT4FA", "01/12/2024", "3729", "MJ", 6, "10:c5:95", "Lenovo", "e1000e", ""},
    {Kind::kDesktop, "HP", "HP EliteDesk 800 G6 Desktop Mini PC", "", "Desktop", "HP",
     "S21 Ver. 02.16.00", "11/13/2023", "8717", "CZC", 7, "9c:7b:ef", "Hewlett Packard", "e1000e",
     ""},
    {Kind::kServer, "Dell Inc.", "PowerEdge R650", "", "Rack Mount Chassis", "Dell Inc.", "1.13.2",
     "05/07/2024", "0PYXKY", "", 7, "f8:bc:12", "Dell Inc.", "tg3", ""},
    {Kind::kServer, "HPE", "ProLiant DL380 Gen10 Plus", "", "Rack Mount Chassis", "HPE",
     "U46 v1.90", "01/08/2024", "ProLiant DL380 Gen10 Plus", "CZ2", 7, "a0:36:9f",
     "Intel Corporate", "i40e", ""},
    {Kind::kServer, "Supermicro", "SYS-1029P-WTR", "0123456789", "Main Server Chassis",
     "American Megatrends Inc.", "3.9", "12/19/2023", "X11DDW-L", "S", 9, "0c:c4:7a",
     "Super Micro Computer, Inc.", "ixgbe", ""},
    {Kind::kVirtual, "VMware, Inc.", "VMware Virtual Platform", "None", "Other",
     "Phoenix Technologies LTD", "6.00", "11/12/2020", "440BX Desktop Reference Platform",
     "VMware-", 0, "00:50:56", "VMware, Inc.", "vmxnet3", "vmware"},
    {Kind::kVirtual, "QEMU", "Standard PC (Q35 + ICH9, 2009)", "pc-q35-7.2", "Other", "SeaBIOS",
     "1.16.2-debian-1.16.2-1", "04/01/2014", "", nullptr, 0, "52:54:00", "", "virtio_net", "kvm"},
    {Kind::kVirtual, "Microsoft Corporation", "Virtual Machine", "Hyper-V UEFI Release v4.1",
     "Desktop", "Microsoft Corporation", "Hyper-V UEFI Release v4.1", "04/06/2022",
     "Virtual Machine", "", 12, "00:15:5d", "Microsoft Corporation", "hv_netvsc", "microsoft"},
};
// How often each model is drawn: desktops and laptops dominate a fleet.
const int kModelWeights[] = {14, 12, 10, 12, 10, 8, 5, 4, 3, 9, 8, 5};
static_assert(std::size(kModels) == std::size(kModelWeights));

struct Cpu {
  const char* model;
  const char* vendor;
  uint32_t sockets, cores, logical;
  double mhz, max_mhz;
};
const Cpu kLaptopCpus[] = {
    {"13th Gen Intel(R) Core(TM) i7-1365U", "GenuineIntel", 1, 10, 12, 1800, 5200},
    {"13th Gen Intel(R) Core(TM) i5-1345U", "GenuineIntel", 1, 10, 12, 1600, 4700},
    {"AMD Ryzen 7 PRO 7840U w/ Radeon 780M Graphics", "AuthenticAMD", 1, 8, 16, 3300, 5132},
};
const Cpu kDesktopCpus[] = {
    {"12th Gen Intel(R) Core(TM) i5-12500", "GenuineIntel", 1, 6, 12, 3000, 4600},
    {"13th Gen Intel(R) Core(TM) i7-13700", "GenuineIntel", 1, 16, 24, 2100, 5200},
    {"AMD Ryzen 5 PRO 5650G with Radeon Graphics", "AuthenticAMD", 1, 6, 12, 3900, 4400},
};
const Cpu kServerCpus[] = {
    {"Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "GenuineIntel", 2, 64, 128, 2000, 3200},
    {"Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "GenuineIntel", 2, 32, 64, 2400, 3400},
    {"AMD EPYC 7443P 24-Core Processor", "AuthenticAMD", 1, 24, 48, 2850, 4035},
};

struct Disk {
  const char* model;
  const char* vendor;
  const char* kind;
  uint64_t size;
  const char* serial_prefix;
};
const Disk kNvmeDisks[] = {
    {"SAMSUNG MZVL2512HCJQ-00BL7", "", "nvme", 512110190592ull, "S64KNX0T"},
    {"KXG80ZNV1T02 KIOXIA", "", "nvme", 1024209543168ull, "X2KA"},
    {"WD PC SN740 SDDPNQD-1T00-1027", "", "nvme", 1024209543168ull, "23260"},
};
const Disk kServerSsd = {"SAMSUNG MZ7L3480HCHQ-00A07", "ATA", "ssd", 480103981056ull, "S6RWNA0W"};
const Disk kServerHdd = {"ST8000NM000A-2KE101", "ATA", "hdd", 8001563222016ull, "WKD"};
const Disk kDesktopHdd = {"ST2000DM008-2FR102", "ATA", "hdd", 2000398934016ull, "ZFL"};

const char* kDimmMakers[][2] = {{"Samsung", "M471A2K43EB1-CWE"},
                                {"SK Hynix", "HMA82GS6DJR8N-XN"},
                                {"Micron", "MTA16ATF2G64HZ-3G2J1"},
                                {"Kingston", "KF432C16BB/16"}};
const char* kServerDimmMakers[][2] = {{"Samsung", "M393A4K40EB3-CWE"},
                                      {"SK Hynix", "HMAA4GR7AJR8N-XN"},
                                      {"Micron", "MTA36ASF4G72PZ-3G2R1"}};

// Debian 12 kernel ABIs and the upload each one came with.
const char* kKernels[][2] = {
    {"6.1.0-13-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)"},
    {"6.1.0-17-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.69-1 (2023-12-30)"},
    {"6.1.0-18-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"},
    {"6.1.0-21-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1 (2024-05-03)"},
    {"6.1.0-23-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1 (2024-07-15)"},
    {"6.1.0-25-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)"},
    {"6.1.0-26-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-10-03)"},
    {"6.1.0-28-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)"},
};
const char* kTimezones[] = {"Europe/Paris", "Europe/Berlin",  "America/New_York",
                            "Etc/UTC",      "Asia/Singapore", "America/Los_Angeles"};
const char* kPeople[] = {"alice",  "bob",   "carol", "dave",    "erin",   "frank",  "grace",
                         "heidi",  "ivan",  "judy",  "mallory", "niaj",   "olivia", "peggy",
                         "rupert", "sybil", "trent", "victor",  "walter", "yvonne"};

// (name, uid, gid, home, shell) of the accounts a Debian 12 install has.
struct Account {
  const char* name;
  uint32_t uid, gid;
  const char* home;
  const char* shell;
};
const Account kSystemAccounts[] = {
    {"root", 0, 0, "/root", "/bin/bash"},
    {"daemon", 1, 1, "/usr/sbin", "/usr/sbin/nologin"},
    {"bin", 2, 2, "/bin", "/usr/sbin/nologin"},
    {"sys", 3, 3, "/dev", "/usr/sbin/nologin"},
    {"sync", 4, 65534, "/bin", "/bin/sync"},
    {"games", 5, 60, "/usr/games", "/usr/sbin/nologin"},
    {"man", 6, 12, "/var/cache/man", "/usr/sbin/nologin"},
    {"lp", 7, 7, "/var/spool/lpd", "/usr/sbin/nologin"},
    {"mail", 8, 8, "/var/mail", "/usr/sbin/nologin"},
    {"news", 9, 9, "/var/spool/news", "/usr/sbin/nologin"},
    {"uucp", 10, 10, "/var/spool/uucp", "/usr/sbin/nologin"},
    {"proxy", 13, 13, "/bin", "/usr/sbin/nologin"},
    {"www-data", 33, 33, "/var/www", "/usr/sbin/nologin"},
    {"backup", 34, 34, "/var/backups", "/usr/sbin/nologin"},
    {"list", 38, 38, "/var/list", "/usr/sbin/nologin"},
    {"irc", 39, 39, "/run/ircd", "/usr/sbin/nologin"},
    {"_apt", 42, 65534, "/nonexistent", "/usr/sbin/nologin"},
    {"nobody", 65534, 65534, "/nonexistent", "/usr/sbin/nologin"},
    {"systemd-network", 998, 998, "/", "/usr/sbin/nologin"},
    {"systemd-timesync", 997, 997, "/", "/usr/sbin/nologin"},
    {"messagebus", 100, 107, "/nonexistent", "/usr/sbin/nologin"},
    {"sshd", 101, 65534, "/run/sshd", "/usr/sbin/nologin"},
    {"polkitd", 996, 996, "/nonexistent", "/usr/sbin/nologin"},
};
const char* kGroups[] = {"root",
                         "daemon",
                         "bin",
                         "sys",
                         "adm",
                         "tty",
                         "disk",
                         "lp",
                         "mail",
                         "news",
                         "uucp",
                         "man",
                         "proxy",
                         "kmem",
                         "dialout",
                         "fax",
                         "voice",
                         "cdrom",
                         "floppy",
                         "tape",
                         "sudo",
                         "audio",
                         "dip",
                         "www-data",
                         "backup",
                         "operator",
                         "list",
                         "irc",
                         "src",
                         "shadow",
                         "utmp",
                         "video",
                         "sasl",
                         "plugdev",
                         "staff",
                         "games",
                         "users",
                         "nogroup",
                         "systemd-journal",
                         "systemd-network",
                         "systemd-timesync",
                         "messagebus",
                         "_ssh",
                         "polkitd"};
const uint32_t kGroupIds[] = {0,  1,  2,  3,  4,  5,  6,   7,     8,   9,   10,  12,  13,  15, 20,
                              21, 22, 24, 25, 26, 27, 29,  30,    33,  34,  37,  38,  39,  40, 42,
                              43, 44, 45, 46, 50, 60, 100, 65534, 999, 998, 997, 107, 101, 996};
static_assert(std::size(kGroups) == std::size(kGroupIds));

const char* kCommonUnits[] = {"apparmor.service",
                              "apt-daily-upgrade.timer",
                              "apt-daily.timer",
                              "cron.service",
                              "dbus.service",
                              "e2scrub_reap.service",
                              "fstrim.timer",
                              "getty@tty1.service",
                              "keyboard-setup.service",
                              "logrotate.timer",
                              "man-db.timer",
                              "networking.service",
                              "rsyslog.service",
                              "ssh.service",
                              "systemd-journald.service",
                              "systemd-logind.service",
                              "systemd-networkd.service",
                              "systemd-resolved.service",
                              "systemd-timesyncd.service",
                              "systemd-udevd.service",
                              "unattended-upgrades.service",
                              "estate-agent.timer"};
const char* kWorkstationUnits[] = {"NetworkManager.service", "gdm.service",
                                   "cups.service",           "bluetooth.service",
                                   "avahi-daemon.service",   "power-profiles-daemon.service",
                                   "wpa_supplicant.service", "accounts-daemon.service",
                                   "udisks2.service"};
const char* kServerUnits[] = {"docker.service",
                              "containerd.service",
                              "nginx.service",
                              "postgresql.service",
                              "prometheus-node-exporter.service",
                              "smartmontools.service",
                              "chrony.service",
                              "mdmonitor.service"};

const char kBase36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// `digits` base-36 digits of a bijective scramble of `n`: distinct agents get
// distinct serials (the multiplier is coprime with 36).
std::string Base36Serial(uint64_t n, uint64_t offset, int digits) {
  uint64_t modulus = 1;
  for (int i = 0; i < digits && modulus < (1ull << 56); ++i) modulus *= 36;
  // n * multiplier cannot overflow for n < 2^32; neither can the sum.
  uint64_t v = ((n * 2654435761ull) % modulus + offset % modulus) % modulus;
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kBase36[v % 36];
    v /= 36;
  }
  return out;
}

std::string Hex(uint64_t value, int digits) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kHex[value & 15];
    value >>= 4;
  }
  return out;
}

std::string Uuid(uint64_t hi, uint64_t lo) {
  return Hex(hi >> 32, 8) + "-" + Hex((hi >> 16) & 0xffff, 4) + "-" + Hex(hi & 0xffff, 4) + "-" +
         Hex(lo >> 48, 4) + "-" + Hex(lo & 0xffffffffffffull, 12);
}

std::string Mac(std::string_view oui, uint32_t suffix24) {
  std::string out(oui);
  for (int shift = 16; shift >= 0; shift -= 8) out += ":" + Hex((suffix24 >> shift) & 0xff, 2);
  return out;
}

std::string MacFromBytes(uint64_t value48) {
  std::string out;
  for (int shift = 40; shift >= 0; shift -= 8) {
    if (!out.empty()) out += ":";
    out += Hex((value48 >> shift) & 0xff, 2);
  }
  return out;
}

std::string Ipv4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
         std::to_string(d);
}

// Version after `upgrades` Debian security updates: "2.36-9+deb12u4" becomes
// "2.36-9+deb12u6" after two; a version without a +deb12uN suffix gains one.
std::string UpgradedVersion(const std::string& version, uint32_t upgrades) {
  if (upgrades == 0) return version;
  constexpr std::string_view kMarker = "+deb12u";
  size_t at = version.rfind(kMarker);
  if (at != std::string::npos) {
    size_t digits = at + kMarker.size();
    size_t end = digits;
    uint64_t n = 0;
    while (end < version.size() && version[end] >= '0' && version[end] <= '9') {
      n = n * 10 + static_cast<uint64_t>(version[end] - '0');
      ++end;
    }
    if (end > digits) {
      return version.substr(0, digits) + std::to_string(n + upgrades) + version.substr(end);
    }
  }
  return version + std::string(kMarker) + std::to_string(upgrades);
}

class Identity {
 public:
  Identity(uint64_t seed, uint32_t agent) : seed_(seed), agent_(agent) {}
  uint64_t H(std::string_view tag, uint64_t extra = 0) const {
    return Hash(tag, {seed_, agent_, extra});
  }
  const Model& model() const {
    int total = 0;
    for (int w : kModelWeights) total += w;
    int pick = static_cast<int>(H("model") % static_cast<uint64_t>(total));
    for (size_t i = 0; i < std::size(kModels); ++i) {
      pick -= kModelWeights[i];
      if (pick < 0) return kModels[i];
    }
    return kModels[0];
  }
  uint32_t agent() const { return agent_; }
  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  uint32_t agent_;
};

// Memory modules: how many are fitted, their size and the slots the board has.
struct MemoryLayout {
  uint32_t modules;
  uint64_t module_bytes;
  uint32_t slots;
};

MemoryLayout LayoutOf(const Identity& id) {
  Rng rng(id.H("memory"));
  switch (id.model().kind) {
    case Kind::kLaptop:
      return {2, (8ull << rng.Below(3)) * kGiB, 2};
    case Kind::kDesktop:
      return {2u << rng.Below(2), (8ull << rng.Below(2)) * kGiB, 4};
    case Kind::kServer:
      return {8 + 4 * static_cast<uint32_t>(rng.Below(3)), (32ull << rng.Below(2)) * kGiB, 24};
    case Kind::kVirtual:
      break;
  }
  return {1, (4ull << rng.Below(3)) * kGiB, 1};
}

const char* HostPrefix(Kind kind) {
  switch (kind) {
    case Kind::kLaptop:
      return "lt";
    case Kind::kDesktop:
      return "ws";
    case Kind::kServer:
      return "srv";
    case Kind::kVirtual:
      return "vm";
  }
  return "host";
}

std::string Domain(uint64_t seed) { return "fleet" + std::to_string(seed) + ".example.com"; }

// The 24 low bits of NIC `nic` of `agent`: a bijection of (agent, nic) for
// agent < 2^22, so no two simulated NICs share a MAC within one OUI.
uint32_t NicSuffix(uint64_t seed, uint32_t agent, uint32_t nic) {
  const uint32_t x = ((agent << 2) | (nic & 3)) & 0xffffff;
  const uint32_t mask = static_cast<uint32_t>(Hash("nic-mask", {seed})) & 0xffffff;
  return ((x ^ mask) * 0x9e3779u) & 0xffffff;
}

struct SubnetAddress {
  uint32_t a, b;
};
SubnetAddress SubnetOf(uint32_t subnet) { return {subnet >> 8, subnet & 0xff}; }

}  // namespace

SimulatedFleet::SimulatedFleet(FleetOptions options, const std::vector<PoolPackage>& pool)
    : options_(options), pool_(pool) {
  uint32_t core = 0;
  for (uint32_t i = 0; i < pool_.size(); ++i) {
    if (pool_[i].core) {
      ++core;
    } else {
      optional_packages_.push_back(i);
    }
  }
  if (!optional_packages_.empty() && options_.target_packages > core) {
    const double p = static_cast<double>(options_.target_packages - core) /
                     static_cast<double>(optional_packages_.size());
    inclusion_per_million_ = static_cast<uint32_t>(std::min(1.0, p) * 1e6);
  }
  if (options_.scanners == 0) options_.scanners = 1;
  history_options_.seed = options_.seed;
  history_options_.earliest_os_install = kEpoch - 700 * 86400;
  history_options_.epoch = kEpoch;
  history_options_.revision_zero_at = kRevisionZeroAt;
  history_options_.core_packages = core;
  history_options_.expected_optional = static_cast<double>(inclusion_per_million_) / 1e6 *
                                       static_cast<double>(optional_packages_.size());
}

std::string SimulatedFleet::AgentNodeId(uint32_t agent) const {
  Identity id(options_.seed, agent);
  return Uuid(id.H("node-hi"), id.H("node-lo"));
}

std::string SimulatedFleet::AgentHostname(uint32_t agent) const {
  Identity id(options_.seed, agent);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%06u", HostPrefix(id.model().kind), agent);
  return buf;
}

bool SimulatedFleet::InitiallyInstalled(uint32_t agent, uint32_t pool_index) const {
  if (pool_[pool_index].core) return true;
  return Hash("pkg", {options_.seed, agent, pool_index}) % 1000000 < inclusion_per_million_;
}

int64_t SimulatedFleet::PackageInstallTime(const InstallHistory& history, uint32_t pool_index,
                                           const PackageOverride* override) const {
  if (override && override->changed_revision > 0) return RevisionTime(override->changed_revision);
  return history.InstallTime(pool_index, pool_[pool_index].core);
}

std::string SimulatedFleet::PackageVersion(uint32_t pool_index, uint32_t upgrades) const {
  return UpgradedVersion(pool_[pool_index].version, upgrades);
}

void SimulatedFleet::FillPackage(uint32_t agent, uint32_t pool_index,
                                 const PackageOverride* override, const InstallHistory* history,
                                 v1::Package* out) const {
  const PoolPackage& p = pool_[pool_index];
  out->set_name(p.name);
  out->set_version(UpgradedVersion(p.version, override ? override->upgrades : 0));
  out->set_architecture(p.architecture);
  out->set_source("deb");
  if (override && override->changed_revision > 0) {
    out->set_install_time(RevisionTime(override->changed_revision));
  } else if (history) {
    out->set_install_time(PackageInstallTime(*history, pool_index, override));
  } else {
    out->set_install_time(PackageInstallTime(History(agent), pool_index, override));
  }
  out->set_publisher(p.maintainer);
  out->set_size_bytes(p.installed_bytes);
  out->set_source_package(p.source_package);
}

void SimulatedFleet::FillSystem(uint32_t agent, uint32_t revision, v1::SystemFacts* out) const {
  Identity id(options_.seed, agent);
  const Model& model = id.model();
  const uint64_t days = model.kind == Kind::kServer ? 200 : 20;
  const int64_t boot = kRevisionZeroAt - 600 - static_cast<int64_t>(id.H("boot") % (days * 86400));
  out->set_boot_time(boot);
  out->set_uptime_seconds(RevisionTime(revision) - boot);
  out->set_timezone(kTimezones[(agent / kAgentsPerSubnet) % std::size(kTimezones)]);
  out->set_virtualization(model.virtualization);
  out->set_architecture("x86_64");
}

void SimulatedFleet::FillMemory(uint32_t agent, uint32_t revision, v1::MemoryFacts* out) const {
  Identity id(options_.seed, agent);
  const Model& model = id.model();
  const MemoryLayout layout = LayoutOf(id);
  uint64_t total = layout.modules * layout.module_bytes;
  // What the kernel keeps for itself never shows in MemTotal.
  total -= total / 50;
  const uint64_t used_permille = 200 + Hash("mem-used", {options_.seed, agent, revision}) % 600;
  out->set_total_bytes(total);
  out->set_available_bytes(total - total / 1000 * used_permille);
  const uint64_t swap =
      model.kind == Kind::kServer ? 0 : (model.kind == Kind::kVirtual ? 1 : 16) * kGiB;
  out->set_swap_total_bytes(swap);
  out->set_swap_free_bytes(swap - swap / 1000 * (used_permille / 20));
}

SimulatedFleet::Station SimulatedFleet::PrimaryStation(uint32_t agent) const {
  Identity id(options_.seed, agent);
  const Model& model = id.model();
  const auto net = SubnetOf(agent / kAgentsPerSubnet);
  Station s;
  s.ip = Ipv4(10, net.a, net.b, 10 + agent % kAgentsPerSubnet);
  s.mac = Mac(model.oui, NicSuffix(options_.seed, agent, 0));
  s.vendor = model.oui_vendor;
  s.hostname = AgentHostname(agent);
  return s;
}

void SimulatedFleet::BuildFacts(uint32_t agent, const AgentState& state,
                                v1::HostFacts* facts) const {
  BuildFactsExceptSoftware(agent, state.revision, facts);
  const InstallHistory history = History(agent);
  ForEachInstalledPackage(agent, state, [&](uint32_t i, const PackageOverride* o) {
    FillPackage(agent, i, o, &history, facts->add_software());
  });
}

void SimulatedFleet::BuildFactsExceptSoftware(uint32_t agent, uint32_t revision,
                                              v1::HostFacts* facts) const {
  facts->Clear();
  Identity id(options_.seed, agent);
  const Model& model = id.model();
  const Kind kind = model.kind;
  Rng rng(id.H("hardware"));
  const std::string hostname = AgentHostname(agent);
  const std::string domain = Domain(options_.seed);
  const auto& kernel = kKernels[id.H("kernel") % std::size(kKernels)];

  facts->set_hostname(hostname);
  facts->set_fqdn(hostname + "." + domain);
  facts->set_machine_id(Hex(id.H("machine-hi"), 16) + Hex(id.H("machine-lo"), 16));
  facts->set_kernel(kernel[0]);
  FillSystem(agent, revision, facts->mutable_system());

  // DMI: the serial embeds a bijection of the agent index, so it is unique.
  auto* dmi = facts->mutable_dmi();
  const std::string uuid = Uuid(id.H("uuid-hi"), id.H("uuid-lo"));
  dmi->set_system_vendor(model.vendor);
  dmi->set_product_name(model.product);
  dmi->set_product_version(model.product_version);
  dmi->set_uuid(uuid);
  const uint64_t serial_offset = Hash("serial", {options_.seed});
  std::string serial;
  if (model.serial_prefix == nullptr) {
    serial = "";  // QEMU without -smbios: no serial at all
  } else if (std::string_view(model.serial_prefix) == "VMware-") {
    // VMware derives the serial from the UUID bytes.
    std::string hex;
    for (char c : uuid) {
      if (c != '-') hex += c;
    }
    serial = "VMware-";
    for (size_t i = 0; i < 32; i += 2) {
      serial += hex.substr(i, 2);
      serial += i == 14 ? "-" : (i == 30 ? "" : " ");
    }
  } else {
    serial = model.serial_prefix + Base36Serial(agent, serial_offset, model.serial_digits);
  }
  dmi->set_serial(serial);
  dmi->set_chassis_type(model.chassis);
  dmi->set_chassis_serial(kind == Kind::kVirtual ? "" : serial);
  if (kind != Kind::kVirtual && rng.Chance(0.7)) {
    dmi->set_chassis_asset_tag("IT-" + std::to_string(100000 + agent));
  }
  dmi->set_bios_vendor(model.bios_vendor);
  dmi->set_bios_version(model.bios_version);
  dmi->set_bios_date(model.bios_date);
  dmi->set_board_vendor(model.vendor);
  dmi->set_board_name(model.board);
  if (kind != Kind::kVirtual) {
    dmi->set_board_serial("/" + Base36Serial(agent, serial_offset ^ 0x5a5a, 7) + "/CNFCW00" +
                          std::to_string(agent % 10) + "/");
  }

  // CPU and memory modules.
  auto* cpu = facts->mutable_cpu();
  const Cpu* c = nullptr;
  switch (kind) {
    case Kind::kLaptop:
      c = &rng.Pick(kLaptopCpus);
      break;
    case Kind::kDesktop:
      c = &rng.Pick(kDesktopCpus);
      break;
    case Kind::kServer:
    case Kind::kVirtual:
      c = &rng.Pick(kServerCpus);
      break;
  }
  cpu->set_model(c->model);
  cpu->set_vendor(c->vendor);
  if (kind == Kind::kVirtual) {
    const uint32_t vcpus = 2u << rng.Below(3);
    cpu->set_sockets(1);
    cpu->set_cores(vcpus);
    cpu->set_logical(vcpus);
  } else {
    cpu->set_sockets(c->sockets);
    cpu->set_cores(c->cores);
    cpu->set_logical(c->logical);
  }
  cpu->set_mhz(c->mhz);
  cpu->set_max_mhz(c->max_mhz);
  for (const char* flag : {"aes", "avx", "avx2", "sse4_2", "lm", "nx"}) cpu->add_flags(flag);
  cpu->add_flags(std::string_view(c->vendor) == "AuthenticAMD" ? "svm" : "vmx");
  if (kind == Kind::kVirtual) cpu->add_flags("hypervisor");

  FillMemory(agent, revision, facts->mutable_memory());
  const MemoryLayout layout = LayoutOf(id);
  if (kind == Kind::kVirtual) {
    auto* m = dmi->add_memory_modules();
    m->set_locator("DIMM 0");
    m->set_size_bytes(layout.module_bytes);
    m->set_type("RAM");
    m->set_form_factor("DIMM");
  } else {
    const bool server = kind == Kind::kServer;
    const auto& maker = server ? kServerDimmMakers[rng.Below(std::size(kServerDimmMakers))]
                               : kDimmMakers[rng.Below(std::size(kDimmMakers))];
    for (uint32_t i = 0; i < layout.slots; ++i) {
      auto* m = dmi->add_memory_modules();
      const bool used = i < layout.modules;
      m->set_locator(server ? "DIMM.Socket." + std::string(1, static_cast<char>('A' + i % 2)) +
                                  std::to_string(i / 2 + 1)
                            : "DIMM " + std::to_string(i));
      m->set_bank_locator("BANK " + std::to_string(i));
      m->set_size_bytes(used ? layout.module_bytes : 0);
      if (!used) continue;
      m->set_speed_mts(kind == Kind::kLaptop ? 5600 : 3200);
      m->set_type(kind == Kind::kLaptop ? "DDR5" : "DDR4");
      m->set_form_factor(kind == Kind::kLaptop ? "SODIMM" : "DIMM");
      m->set_manufacturer(maker[0]);
      m->set_serial(Hex(id.H("dimm", i) & 0xffffffff, 8));
      m->set_part_number(maker[1]);
    }
  }

  // Storage.
  auto* storage = facts->mutable_storage();
  auto add_disk = [&](const std::string& name, const Disk& d, uint32_t n) {
    auto* disk = storage->add_disks();
    disk->set_name(name);
    disk->set_model(d.model);
    disk->set_vendor(d.vendor);
    disk->set_kind(d.kind);
    disk->set_size_bytes(d.size);
    disk->set_serial(std::string(d.serial_prefix) + Base36Serial(agent * 8 + n, serial_offset, 6));
    disk->set_wwn("0x5002538" + Hex(id.H("wwn", n), 9));
    return disk;
  };
  auto add_fs = [&](const std::string& device, const char* mount, const char* type, uint64_t size) {
    auto* fs = storage->add_filesystems();
    fs->set_device(device);
    fs->set_mount_point(mount);
    fs->set_type(type);
    fs->set_size_bytes(size);
    fs->set_free_bytes(size / 100 * (20 + id.H("free", size) % 60));
  };
  auto add_partition = [&](v1::BlockDevice* disk, const std::string& name, uint64_t size,
                           const char* fs) {
    auto* p = disk->add_partitions();
    p->set_name(name);
    p->set_size_bytes(size);
    p->set_filesystem(fs);
    p->set_uuid(Uuid(id.H("part-hi", disk->partitions_size()), id.H("part-lo", name.size())));
  };
  if (kind == Kind::kVirtual) {
    const bool virtio = std::string_view(model.driver) == "virtio_net";
    const std::string name = virtio ? "vda" : "sda";
    Disk d{virtio ? "" : "Virtual disk", virtio ? "0x1af4" : "VMware", "virtual",
           (64ull << rng.Below(2)) * kGiB, ""};
    auto* disk = add_disk(name, d, 0);
    disk->clear_serial();
    disk->clear_wwn();
    add_partition(disk, name + "1", d.size - kGiB, "ext4");
    add_partition(disk, name + "5", kGiB - (1 << 20), "swap");
    add_fs("/dev/" + name + "1", "/", "ext4", d.size - kGiB);
  } else if (kind == Kind::kServer) {
    for (uint32_t i = 0; i < 2; ++i) {
      auto* disk = add_disk(std::string("sd") + static_cast<char>('a' + i), kServerSsd, i);
      add_partition(disk, disk->name() + "1", 536870912, "vfat");
      add_partition(disk, disk->name() + "2", kServerSsd.size - 536870912, "linux_raid_member");
    }
    const uint32_t hdds = 2 + 2 * static_cast<uint32_t>(rng.Below(2));
    for (uint32_t i = 0; i < hdds; ++i) {
      auto* disk = add_disk(std::string("sd") + static_cast<char>('c' + i), kServerHdd, 2 + i);
      add_partition(disk, disk->name() + "1", kServerHdd.size, "linux_raid_member");
    }
    add_fs("/dev/md0", "/", "ext4", kServerSsd.size - 536870912);
    add_fs("/dev/sda1", "/boot/efi", "vfat", 536870912);
    add_fs("/dev/md1", "/srv", "xfs", kServerHdd.size * hdds / 2);
  } else {
    const Disk& d = rng.Pick(kNvmeDisks);
    auto* disk = add_disk("nvme0n1", d, 0);
    const uint64_t swap = 16 * kGiB;
    add_partition(disk, "nvme0n1p1", 536870912, "vfat");
    add_partition(disk, "nvme0n1p2", d.size - 536870912 - swap, "ext4");
    add_partition(disk, "nvme0n1p3", swap, "swap");
    add_fs("/dev/nvme0n1p2", "/", "ext4", d.size - 536870912 - swap);
    add_fs("/dev/nvme0n1p1", "/boot/efi", "vfat", 536870912);
    if (kind == Kind::kDesktop && rng.Chance(0.5)) {
      auto* hdd = add_disk("sda", kDesktopHdd, 1);
      add_partition(hdd, "sda1", kDesktopHdd.size, "ext4");
      add_fs("/dev/sda1", "/data", "ext4", kDesktopHdd.size);
    }
  }

  // Network: the primary NIC carries the subnet address scanners see.
  auto* network = facts->mutable_network();
  const Station primary = PrimaryStation(agent);
  const auto net = SubnetOf(agent / kAgentsPerSubnet);
  auto add_nic = [&](const std::string& name, const std::string& mac, const char* driver,
                     uint64_t speed, const char* state_name, const char* nic_kind,
                     bool is_virtual) {
    auto* nic = network->add_interfaces();
    nic->set_name(name);
    nic->set_mac(mac);
    if (!is_virtual) nic->set_permanent_mac(mac);
    nic->set_driver(driver);
    nic->set_speed_mbps(speed);
    nic->set_state(state_name);
    nic->set_mtu(1500);
    nic->set_kind(nic_kind);
    nic->set_is_virtual(is_virtual);
    return nic;
  };
  auto add_address = [](v1::NetworkInterface* nic, const std::string& address, uint32_t prefix,
                        const char* family, const char* scope) {
    auto* a = nic->add_addresses();
    a->set_address(address);
    a->set_prefix_length(prefix);
    a->set_family(family);
    a->set_scope(scope);
  };
  const uint64_t ll = id.H("link-local");
  const std::string link_local = "fe80::" + Hex(ll >> 48, 4) + ":" + Hex((ll >> 32) & 0xffff, 4) +
                                 ":" + Hex((ll >> 16) & 0xffff, 4) + ":" + Hex(ll & 0xffff, 4);
  std::string primary_name;
  switch (kind) {
    case Kind::kLaptop:
      primary_name = "wlp0s20f3";
      break;
    case Kind::kDesktop:
      primary_name = "enp0s31f6";
      break;
    case Kind::kServer:
      primary_name = "eno1";
      break;
    case Kind::kVirtual:
      primary_name = std::string_view(model.driver) == "vmxnet3"
                         ? "ens192"
                         : (std::string_view(model.driver) == "virtio_net" ? "enp1s0" : "eth0");
      break;
  }
  {
    auto* lo = add_nic("lo", "00:00:00:00:00:00", "", 0, "unknown", "loopback", true);
    lo->set_mtu(65536);
    add_address(lo, "127.0.0.1", 8, "ipv4", "host");
    add_address(lo, "::1", 128, "ipv6", "host");
  }
  auto* nic0 = add_nic(primary_name, primary.mac, model.driver,
                       kind == Kind::kServer ? 10000 : (kind == Kind::kLaptop ? 0 : 1000), "up",
                       "physical", false);
  add_address(nic0, primary.ip, 24, "ipv4", "global");
  add_address(
      nic0, "fd10:" + Hex(net.a, 2) + Hex(net.b, 2) + "::" + Hex(10 + agent % kAgentsPerSubnet, 4),
      64, "ipv6", "global");
  add_address(nic0, link_local, 64, "ipv6", "link");
  if (kind == Kind::kLaptop) {
    add_nic("enp0s31f6", Mac(model.oui, NicSuffix(options_.seed, agent, 1)), "e1000e", 0, "down",
            "physical", false);
  } else if (kind == Kind::kServer) {
    auto* nic1 = add_nic("eno2", Mac(model.oui, NicSuffix(options_.seed, agent, 1)), model.driver,
                         10000, "up", "physical", false);
    add_address(nic1, Ipv4(172, 16, net.b, 10 + agent % kAgentsPerSubnet), 24, "ipv4", "global");
    if (rng.Chance(0.5)) {
      for (uint32_t port = 0; port < 2; ++port) {
        add_nic("ens1f" + std::to_string(port) + "np" + std::to_string(port),
                Mac("7c:fe:90", NicSuffix(options_.seed, agent, 2 + port)), "mlx5_core", 25000,
                port == 0 ? "up" : "down", "physical", false);
      }
    }
    if (rng.Chance(0.4)) {
      auto* docker =
          add_nic("docker0", MacFromBytes(0x024200000000ull | (id.H("docker") & 0xffffffff)),
                  "bridge", 0, "down", "bridge", true);
      add_address(docker, "172.17.0.1", 16, "ipv4", "global");
    }
  }
  auto* route = network->add_default_routes();
  route->set_destination("0.0.0.0/0");
  route->set_gateway(Ipv4(10, net.a, net.b, 1));
  route->set_interface(primary_name);
  route->set_family("ipv4");
  network->add_dns_servers("10.0.0.53");
  network->add_dns_servers("10.0.1.53");
  network->add_search_domains(domain);

  auto* os = facts->mutable_os();
  os->set_name("Debian GNU/Linux");
  os->set_version("12");
  os->set_id("debian");
  os->set_pretty_name("Debian GNU/Linux 12 (bookworm)");
  os->set_version_codename("bookworm");
  os->set_kernel_version(kernel[1]);
  os->set_architecture("x86_64");
  os->set_install_time(History(agent).os_install());

  // Accounts, groups, services, sockets, PCI and USB devices.
  for (const Account& a : kSystemAccounts) {
    auto* u = facts->add_users();
    u->set_name(a.name);
    u->set_uid(a.uid);
    u->set_gid(a.gid);
    u->set_home(a.home);
    u->set_shell(a.shell);
    u->set_login_capable(std::string_view(a.shell) == "/bin/bash");
  }
  const uint32_t people = kind == Kind::kServer ? 3 + static_cast<uint32_t>(rng.Below(3))
                                                : 1 + static_cast<uint32_t>(rng.Below(2));
  std::vector<std::string> humans;
  for (uint32_t i = 0; i < people; ++i) {
    std::string name = kPeople[id.H("person", i) % std::size(kPeople)];
    if (std::find(humans.begin(), humans.end(), name) != humans.end()) continue;
    humans.push_back(name);
    auto* u = facts->add_users();
    u->set_name(name);
    u->set_uid(1000 + static_cast<uint32_t>(humans.size()) - 1);
    u->set_gid(u->uid());
    u->set_home("/home/" + name);
    u->set_shell("/bin/bash");
    u->set_login_capable(true);
    u->set_gecos(name + ",,,");
  }
  for (size_t i = 0; i < std::size(kGroups); ++i) {
    auto* g = facts->add_groups();
    g->set_name(kGroups[i]);
    g->set_gid(kGroupIds[i]);
    const std::string_view group = kGroups[i];
    if (group == "sudo" || group == "adm") {
      for (const auto& h : humans) g->add_members(h);
    }
  }
  for (size_t i = 0; i < humans.size(); ++i) {
    auto* g = facts->add_groups();
    g->set_name(humans[i]);
    g->set_gid(1000 + static_cast<uint32_t>(i));
  }
  auto add_unit = [&](const char* name) {
    auto* unit = facts->add_services();
    unit->set_name(name);
    const bool timer = std::string_view(name).ends_with(".timer");
    unit->set_enabled(true);
    unit->set_running(!timer);
    unit->set_unit_file_state("enabled");
    unit->set_active_state(timer ? "active (waiting)" : "active");
  };
  for (const char* unit : kCommonUnits) add_unit(unit);
  if (kind == Kind::kServer || kind == Kind::kVirtual) {
    for (const char* unit : kServerUnits) {
      if (rng.Chance(0.6)) add_unit(unit);
    }
  } else {
    for (const char* unit : kWorkstationUnits) add_unit(unit);
  }
  auto add_socket = [&](const char* protocol, const char* address, uint32_t port,
                        const char* process, uint32_t uid) {
    auto* s = facts->add_listening();
    s->set_protocol(protocol);
    s->set_address(address);
    s->set_port(port);
    s->set_pid(static_cast<uint32_t>(300 + id.H("pid", port) % 4000));
    s->set_process(process);
    s->set_uid(uid);
  };
  add_socket("tcp", "0.0.0.0", 22, "sshd", 0);
  add_socket("tcp6", "::", 22, "sshd", 0);
  add_socket("udp", "127.0.0.53", 53, "systemd-resolve", 991);
  if (kind == Kind::kServer || kind == Kind::kVirtual) {
    add_socket("tcp", "0.0.0.0", 443, "nginx", 0);
    add_socket("tcp", "127.0.0.1", 5432, "postgres", 105);
    add_socket("tcp", "0.0.0.0", 9100, "prometheus-node", 65534);
  } else {
    add_socket("tcp", "127.0.0.1", 631, "cupsd", 0);
    add_socket("udp", "0.0.0.0", 5353, "avahi-daemon", 108);
  }
  auto add_pci = [&](const char* slot, const char* vendor_id, const char* device_id,
                     const char* vendor, const char* device, const char* class_name,
                     const char* driver) {
    auto* p = facts->add_pci_devices();
    p->set_slot(slot);
    p->set_vendor_id(vendor_id);
    p->set_device_id(device_id);
    p->set_vendor(vendor);
    p->set_device(device);
    p->set_class_name(class_name);
    p->set_driver(driver);
  };
  if (kind == Kind::kVirtual) {
    add_pci("0000:00:00.0", "8086", "29c0", "Intel Corporation",
            "82G33/G31/P35/P31 Express DRAM Controller", "Host bridge", "");
    add_pci("0000:00:01.0", "1af4", "1041", "Red Hat, Inc.", "Virtio 1.0 network device",
            "Ethernet controller", "virtio-pci");
    add_pci("0000:00:02.0", "1af4", "1042", "Red Hat, Inc.", "Virtio 1.0 block device",
            "SCSI storage controller", "virtio-pci");
  } else {
    add_pci("0000:00:00.0", "8086", "a706", "Intel Corporation",
            "Raptor Lake-P/U 4p+8e cores Host Bridge/DRAM Controller", "Host bridge", "");
    add_pci("0000:00:02.0", "8086", "a7a1", "Intel Corporation", "Raptor Lake-P [Iris Xe Graphics]",
            "VGA compatible controller", "i915");
    add_pci("0000:00:14.0", "8086", "51ed", "Intel Corporation",
            "Alder Lake PCH USB 3.2 xHCI Host Controller", "USB controller", "xhci_hcd");
    add_pci("0000:00:1f.3", "8086", "51ca", "Intel Corporation", "Raptor Lake-P/U/H cAVS",
            "Audio device", "snd_hda_intel");
    add_pci("0000:01:00.0", "144d", "a80a", "Samsung Electronics Co Ltd",
            "NVMe SSD Controller PM9A1/PM9A3/980PRO", "Non-Volatile memory controller", "nvme");
    if (kind == Kind::kLaptop) {
      add_pci("0000:00:14.3", "8086", "51f1", "Intel Corporation", "Raptor Lake PCH CNVi WiFi",
              "Network controller", "iwlwifi");
      auto* cam = facts->add_usb_devices();
      cam->set_bus_path("3-6");
      cam->set_vendor_id("04f2");
      cam->set_product_id("b7b4");
      cam->set_vendor("Chicony Electronics Co., Ltd");
      cam->set_product("Integrated Camera");
      cam->set_device_class("ef");
    }
  }
}

void SimulatedFleet::AdvanceRevision(uint32_t agent, AgentState* state,
                                     v1::DeltaReport* delta) const {
  delta->clear_replaced_fields();
  delta->clear_values();
  delta->clear_software_upserted();
  delta->clear_software_removed();
  const uint32_t revision = state->revision + 1;
  Rng rng(Hash("revision", {options_.seed, agent, revision}));
  auto& overrides = state->overrides;
  auto find = [&](uint32_t index) {
    return std::lower_bound(overrides.begin(), overrides.end(), index,
                            [](const PackageOverride& o, uint32_t i) { return o.pool_index < i; });
  };
  auto installed = [&](uint32_t index) {
    auto it = find(index);
    return it != overrides.end() && it->pool_index == index ? it->installed
                                                            : InitiallyInstalled(agent, index);
  };
  auto touch = [&](uint32_t index) -> PackageOverride& {
    auto it = find(index);
    if (it == overrides.end() || it->pool_index != index) {
      PackageOverride fresh;
      fresh.pool_index = index;
      fresh.installed = InitiallyInstalled(agent, index);
      it = overrides.insert(it, fresh);
    }
    it->changed_revision = revision;
    return *it;
  };
  std::vector<uint32_t> changed;
  auto untouched = [&](uint32_t index) {
    return std::find(changed.begin(), changed.end(), index) == changed.end();
  };
  const uint32_t pool_size = static_cast<uint32_t>(pool_.size());
  // A few security updates, sometimes a new package, now and then one removed.
  const uint32_t upgrades = 2 + static_cast<uint32_t>(rng.Below(3));
  for (uint32_t done = 0, tries = 0; done < upgrades && tries < 256; ++tries) {
    const uint32_t index = static_cast<uint32_t>(rng.Below(pool_size));
    if (!installed(index) || !untouched(index)) continue;
    touch(index).upgrades++;
    changed.push_back(index);
    ++done;
  }
  if (rng.Chance(0.25) && !optional_packages_.empty()) {
    for (int tries = 0; tries < 64; ++tries) {
      const uint32_t index = optional_packages_[rng.Below(optional_packages_.size())];
      if (installed(index) || !untouched(index)) continue;
      touch(index).installed = true;
      changed.push_back(index);
      break;
    }
  }
  if (rng.Chance(0.125) && !optional_packages_.empty()) {
    for (int tries = 0; tries < 64; ++tries) {
      const uint32_t index = optional_packages_[rng.Below(optional_packages_.size())];
      if (!installed(index) || !untouched(index)) continue;
      touch(index).installed = false;
      changed.push_back(index);
      break;
    }
  }
  state->revision = revision;

  std::sort(changed.begin(), changed.end());  // pool order is canonical order
  for (uint32_t index : changed) {
    const PackageOverride& o = *find(index);
    if (o.installed) {
      FillPackage(agent, index, &o, nullptr, delta->add_software_upserted());
    } else {
      auto* key = delta->add_software_removed();
      key->set_name(pool_[index].name);
      key->set_architecture(pool_[index].architecture);
      key->set_source("deb");
    }
  }
  delta->add_replaced_fields(v1::HostFacts::kSystemFieldNumber);
  FillSystem(agent, revision, delta->mutable_values()->mutable_system());
  delta->add_replaced_fields(v1::HostFacts::kMemoryFieldNumber);
  FillMemory(agent, revision, delta->mutable_values()->mutable_memory());
}

std::string SimulatedFleet::ScannerNodeId(uint32_t scanner) const {
  return "loadgen-" + std::to_string(options_.seed) + "-scanner-" + std::to_string(scanner);
}

std::string SimulatedFleet::ScannerHostname(uint32_t scanner) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "scan-%04u", scanner);
  return buf;
}

uint32_t SimulatedFleet::ScannerSubnet(uint32_t scanner, uint64_t round) const {
  return static_cast<uint32_t>((scanner + round * options_.scanners) % std::max(1u, subnets()));
}

uint64_t SimulatedFleet::SubnetHash(uint32_t subnet, uint64_t what) const {
  return Hash("subnet", {options_.seed, subnet, what});
}

uint32_t SimulatedFleet::UnknownDevices(uint32_t subnet) const {
  return 8 + static_cast<uint32_t>(SubnetHash(subnet, 0) % 33);  // 8..40
}

void SimulatedFleet::BuildObservations(uint32_t subnet, int64_t now, bool with_fdb,
                                       v1::ObservationReport* report) const {
  report->clear_observations();
  report->clear_devices();
  const auto net = SubnetOf(subnet);
  struct Seen {
    std::string ip, mac, vendor, hostname;
    v1::ObservationSource source;
    bool local;
  };
  std::vector<Seen> seen;
  const uint32_t first = subnet * kAgentsPerSubnet;
  const uint32_t last = std::min(options_.agents, first + kAgentsPerSubnet);
  for (uint32_t agent = first; agent < last; ++agent) {
    Station s = PrimaryStation(agent);
    seen.push_back({s.ip, s.mac, s.vendor, "", v1::OBSERVATION_SOURCE_ARP_SWEEP,
                    s.mac.starts_with("52:54:00")});
  }
  // Devices no agent runs on: they only ever appear as sightings.
  struct DeviceKind {
    const char* oui;  // nullptr: a randomized, locally administered MAC
    const char* vendor;
    const char* name_prefix;
  };
  static const DeviceKind kDevices[] = {
      {"00:80:77", "Brother industries, LTD.", "BRN"},
      {"10:e7:c6", "Hewlett Packard", "HP"},
      {"00:04:f2", "Polycom", "SEP"},
      {"08:4f:a9", "Cisco Systems, Inc", "SEP"},
      {"44:47:cc", "Hangzhou Hikvision Digital Technology Co.,Ltd.", ""},
      {"24:6f:28", "Espressif Inc.", "ESP_"},
      {"74:83:c2", "Ubiquiti Networks Inc.", "U6-"},
      {nullptr, "", "iPhone"},
      {nullptr, "", "Galaxy-S23"},
  };
  const uint32_t unknown = UnknownDevices(subnet);
  for (uint32_t x = 0; x < unknown; ++x) {
    const uint64_t h = SubnetHash(subnet, 1000 + x);
    const DeviceKind& kind = kDevices[h % std::size(kDevices)];
    std::string mac;
    if (kind.oui) {
      mac = Mac(kind.oui, static_cast<uint32_t>(h >> 16) & 0xffffff);
    } else {
      mac = MacFromBytes((((h >> 8) & 0xfcffffffffffull) | 0x020000000000ull));
    }
    std::string hostname;
    if (kind.oui == nullptr) {
      hostname = kind.name_prefix;
    } else if (*kind.name_prefix) {
      std::string compact;
      for (char c : mac) {
        if (c != ':') compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      hostname = kind.name_prefix + compact;
    }
    seen.push_back(
        {Ipv4(10, net.a, net.b, 210 + x), mac, kind.vendor, hostname,
         kind.oui ? v1::OBSERVATION_SOURCE_ARP_SWEEP : v1::OBSERVATION_SOURCE_PASSIVE_DHCP,
         kind.oui == nullptr});
  }
  Rng rtt(SubnetHash(subnet, static_cast<uint64_t>(now)));
  for (const Seen& s : seen) {
    auto* o = report->add_observations();
    o->set_source(s.source);
    o->set_seen_at(now);
    o->set_ip(s.ip);
    o->set_mac(s.mac);
    o->set_vendor(s.vendor);
    o->set_mac_locally_administered(s.local);
    o->set_interface("eth0");
    o->set_hostname(s.hostname);
    if (s.source == v1::OBSERVATION_SOURCE_ARP_SWEEP) {
      o->set_rtt_us(static_cast<uint32_t>(rtt.Between(150, 3000)));
      o->set_probe("arp");
    }
  }
  if (!with_fdb) return;

  // The access switch of the subnet: its forwarding table places every station on a port.
  char sys_name[32];
  std::snprintf(sys_name, sizeof sys_name, "sw-%03u-%03u", net.a, net.b);
  const std::string switch_ip = Ipv4(10, net.a, net.b, 2);
  const uint32_t vlan = 100 + subnet % 400;
  const AccessSwitch sw{
      switch_ip, sys_name, "FOC" + Base36Serial(subnet, Hash("switch", {options_.seed}), 8), vlan,
      [subnet](uint32_t port) {
        return Mac("f4:bd:9e", static_cast<uint32_t>((subnet * 64 + port) & 0xffffff));
      }};
  auto* device = report->add_devices();
  FillAccessSwitch(sw, now, device);
  device->set_sys_location("Building " + std::to_string(net.a) + ", floor " +
                           std::to_string(net.b % 8));
  device->set_sys_contact("noc@" + Domain(options_.seed));
  device->set_sys_uptime_ticks(SubnetHash(subnet, 2) % 3000000000ull);
  for (size_t k = 0; k < seen.size(); ++k) {
    PlaceOnPort(sw, 1 + static_cast<uint32_t>(k % 48), seen[k].mac, seen[k].vendor, seen[k].local,
                now, report->add_observations(), device);
  }
}

}  // namespace estate::loadgen
