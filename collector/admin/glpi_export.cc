#include "collector/admin/glpi_export.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "estate/text.h"

namespace estate::collector {
namespace {

using nlohmann::json;

constexpr uint64_t kMiB = 1u << 20;

// Sets `key` only when there is something to say: GLPI reads an empty string
// as a value, and would blank what another source filled in.
void Put(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}
void PutCount(json& object, const char* key, uint64_t value) {
  if (value != 0) object[key] = value;
}

// "YYYY-MM-DD HH:MM:SS" (the format's datetime), or "YYYY-MM-DD" at midnight:
// the agents give a date alone for package installs.
std::string FormatDate(int64_t seconds, bool date_only_at_midnight) {
  if (seconds <= 0) return "";
  const auto t = static_cast<time_t>(seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char text[32];
  if (date_only_at_midnight && tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0) {
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  } else {
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  }
  return text;
}

bool ValidDate(int y, int m, int d) { return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }

// A BIOS date as the format wants it (YYYY-MM-DD): SMBIOS and the agents say
// MM/DD/YYYY; an ISO date passes; anything else is left out rather than
// written in a shape the schema refuses.
std::string BiosDate(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char out[32];
  if (std::sscanf(text.c_str(), "%2d/%2d/%4d", &m, &d, &y) == 3 && ValidDate(y, m, d)) {
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    return out;
  }
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && ValidDate(y, m, d)) {
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    return out;
  }
  return "";
}

// 24 -> 255.255.255.0.
std::string Ipv4Mask(uint32_t prefix) {
  if (prefix == 0 || prefix > 32) return "";
  const uint32_t mask = prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
  char out[20];
  std::snprintf(out, sizeof out, "%u.%u.%u.%u", mask >> 24, (mask >> 16) & 0xff, (mask >> 8) & 0xff,
                mask & 0xff);
  return out;
}

// The agents' KERNEL_NAME: Perl's $^O for Windows and macOS, uname -s lower
// case for the rest.
std::string KernelName(const v1::OsFacts& os) {
  if (os.id() == "windows") return "MSWin32";
  if (os.id() == "macos") return "darwin";
  if (os.id().empty()) return "";
  return "linux";
}

// FULL_NAME as the agents say it: Estate shows Windows without the vendor
// ("Windows 10 Pro"); the agents read "Microsoft Windows 10 Pro" from WMI.
std::string FullName(const v1::OsFacts& os) {
  const std::string& pretty = os.pretty_name();
  if (os.id() == "windows" && StartsWith(pretty, "Windows")) return "Microsoft " + pretty;
  return pretty;
}

// VERSIONCLIENT: the User-Agent of the agent that reported, so GLPI shows who
// collected the data.
std::string VersionClient(const GlpiExportSource& source) {
  std::string name = "Estate-Agent";
  if (source.kind == "glpi-agent") name = "GLPI-Agent";
  if (source.kind == "fusioninventory") name = "FusionInventory-Agent";
  if (source.kind == "ocs") name = "OCS-NG_unified_unix_agent";
  return source.version.empty() ? name : name + "_v" + source.version;
}

json Bios(const v1::Asset& asset, const v1::DmiFacts& dmi) {
  json bios = json::object();
  Put(bios, "smanufacturer", dmi.system_vendor());
  Put(bios, "smodel", dmi.product_name());
  Put(bios, "ssn", dmi.serial());
  Put(bios, "bmanufacturer", dmi.bios_vendor());
  Put(bios, "bversion", dmi.bios_version());
  Put(bios, "bdate", BiosDate(dmi.bios_date()));
  Put(bios, "mmanufacturer", dmi.board_vendor());
  Put(bios, "mmodel", dmi.board_name());
  Put(bios, "msn", dmi.board_serial());
  // The admin's asset tag (ITAM) over the one in the firmware.
  auto tag = asset.attributes().find("asset_tag");
  Put(bios, "assettag", tag != asset.attributes().end() ? tag->second : dmi.chassis_asset_tag());
  return bios;
}

json Hardware(const v1::HostFacts& facts) {
  json hw = json::object();
  Put(hw, "name", facts.hostname());
  Put(hw, "uuid", facts.dmi().uuid());
  Put(hw, "chassis_type", facts.dmi().chassis_type());
  PutCount(hw, "memory", facts.memory().total_bytes() / kMiB);
  PutCount(hw, "swap", facts.memory().swap_total_bytes() / kMiB);
  // The agents say "Physical" for a machine that is not a guest.
  const std::string& virt = facts.system().virtualization();
  hw["vmsystem"] = virt.empty() ? "Physical" : virt;
  std::string dns;
  for (const auto& server : facts.network().dns_servers()) {
    if (!dns.empty()) dns += '/';
    dns += server;
  }
  Put(hw, "dns", dns);
  for (const auto& route : facts.network().default_routes()) {
    if (route.family() == "ipv4" && !route.gateway().empty()) {
      hw["defaultgateway"] = route.gateway();
      break;
    }
  }
  return hw;
}

json OperatingSystem(const v1::HostFacts& facts) {
  const v1::OsFacts& os = facts.os();
  json out = json::object();
  Put(out, "name", os.name());
  Put(out, "version", os.version());
  Put(out, "full_name", FullName(os));
  Put(out, "kernel_name", KernelName(os));
  // uname -r (the agents' KERNEL_VERSION; Windows' build for foreign agents).
  Put(out, "kernel_version", facts.kernel().empty() ? os.kernel_version() : facts.kernel());
  Put(out, "arch", os.architecture().empty() ? facts.system().architecture() : os.architecture());
  Put(out, "fqdn", facts.fqdn());
  if (const size_t dot = facts.fqdn().find('.'); dot != std::string::npos) {
    Put(out, "dns_domain", facts.fqdn().substr(dot + 1));
  }
  Put(out, "install_date", FormatDate(os.install_time(), /*date_only_at_midnight=*/false));
  Put(out, "boot_time", FormatDate(facts.system().boot_time(), false));
  return out;
}

// One entry per socket, as the agents write them.
json Cpus(const v1::CpuFacts& cpu) {
  json cpus = json::array();
  if (cpu.model().empty() && cpu.sockets() == 0) return cpus;
  const uint32_t sockets = std::max(cpu.sockets(), 1u);
  for (uint32_t i = 0; i < sockets; ++i) {
    json c = json::object();
    Put(c, "name", cpu.model());
    Put(c, "manufacturer", cpu.vendor());
    PutCount(c, "speed", static_cast<uint64_t>(std::lround(cpu.mhz())));
    PutCount(c, "core", cpu.cores() / sockets);
    // THREAD as the agents fill it (and Estate reads it): the socket's threads.
    PutCount(c, "thread", cpu.logical() / sockets);
    cpus.push_back(std::move(c));
  }
  return cpus;
}

json Memories(const v1::DmiFacts& dmi) {
  json out = json::array();
  for (const auto& m : dmi.memory_modules()) {
    json slot = json::object();
    Put(slot, "caption", m.locator());
    slot["capacity"] = m.size_bytes() / kMiB;
    if (m.speed_mts() != 0) slot["speed"] = std::to_string(m.speed_mts());
    Put(slot, "type", m.type());
    Put(slot, "formfactor", m.form_factor());
    Put(slot, "manufacturer", m.manufacturer());
    Put(slot, "serialnumber", m.serial());
    Put(slot, "model", m.part_number());
    out.push_back(std::move(slot));
  }
  return out;
}

json Storages(const v1::StorageFacts& storage) {
  json out = json::array();
  for (const auto& d : storage.disks()) {
    if (d.kind() == "loop") continue;  // not hardware
    json disk = json::object();
    Put(disk, "name", d.name());
    Put(disk, "model", d.model());
    Put(disk, "serial", d.serial());
    Put(disk, "manufacturer", d.vendor());
    PutCount(disk, "disksize", d.size_bytes() / kMiB);
    Put(disk, "type", d.kind());
    Put(disk, "wwn", d.wwn());
    out.push_back(std::move(disk));
  }
  return out;
}

json Drives(const v1::StorageFacts& storage) {
  json out = json::array();
  for (const auto& f : storage.filesystems()) {
    json drive = json::object();
    // Windows names a volume by its letter ("C:"); Unix by its mount point, in TYPE.
    const bool letter = f.mount_point().size() == 2 && f.mount_point()[1] == ':';
    Put(drive, letter ? "letter" : "type", f.mount_point());
    Put(drive, "volumn", f.device());
    Put(drive, "filesystem", f.type());
    PutCount(drive, "total", f.size_bytes() / kMiB);
    if (f.size_bytes() != 0) drive["free"] = f.free_bytes() / kMiB;
    out.push_back(std::move(drive));
  }
  return out;
}

// One entry per address, the interface repeated, as the agents write them.
json Networks(const v1::NetworkFacts& network) {
  static const std::vector<std::string> kStatuses = {
      "up", "down", "dormant", "notpresent", "lowerlayerdown", "unknown", "testing"};
  json out = json::array();
  for (const auto& nic : network.interfaces()) {
    json base = json::object();
    base["description"] = nic.name();
    Put(base, "mac", nic.mac());
    if (std::find(kStatuses.begin(), kStatuses.end(), nic.state()) != kStatuses.end()) {
      base["status"] = nic.state();
    }
    if (nic.kind() == "loopback") base["type"] = "loopback";
    if (nic.kind() == "bridge") base["type"] = "bridge";
    base["virtualdev"] = nic.is_virtual();
    if (nic.speed_mbps() != 0) base["speed"] = std::to_string(nic.speed_mbps());
    PutCount(base, "mtu", nic.mtu());
    Put(base, "driver", nic.driver());
    if (nic.addresses().empty()) out.push_back(base);
    for (const auto& a : nic.addresses()) {
      json entry = base;
      if (a.family() == "ipv6") {
        entry["ipaddress6"] = a.address();
        if (a.prefix_length() != 0) entry["ipmask6"] = std::to_string(a.prefix_length());
      } else {
        entry["ipaddress"] = a.address();
        Put(entry, "ipmask", Ipv4Mask(a.prefix_length()));
      }
      out.push_back(std::move(entry));
    }
  }
  return out;
}

json Softwares(const v1::HostFacts& facts) {
  json out = json::array();
  for (const auto& p : facts.software()) {
    json s = json::object();
    s["name"] = p.name();
    Put(s, "version", p.version());
    Put(s, "arch", p.architecture());
    Put(s, "from", p.source());
    Put(s, "publisher", p.publisher());
    Put(s, "install_date", FormatDate(p.install_time(), /*date_only_at_midnight=*/true));
    PutCount(s, "filesize", p.size_bytes());
    out.push_back(std::move(s));
  }
  return out;
}

// Who is logged on: "DOMAIN\login" as Estate keeps Windows users, split back.
json Users(const v1::HostFacts& facts) {
  json out = json::array();
  std::set<std::string> seen;
  for (const auto& session : facts.sessions()) {
    if (session.user().empty() || !seen.insert(session.user()).second) continue;
    json user = json::object();
    const size_t slash = session.user().find('\\');
    if (slash == std::string::npos) {
      user["login"] = session.user();
    } else {
      user["domain"] = session.user().substr(0, slash);
      user["login"] = session.user().substr(slash + 1);
    }
    out.push_back(std::move(user));
  }
  return out;
}

json LocalUsers(const v1::HostFacts& facts) {
  json out = json::array();
  for (const auto& u : facts.users()) {
    json user = {{"id", std::to_string(u.uid())}};
    Put(user, "login", u.name());
    Put(user, "name", u.gecos());
    Put(user, "home", u.home());
    Put(user, "shell", u.shell());
    out.push_back(std::move(user));
  }
  return out;
}

json LocalGroups(const v1::HostFacts& facts) {
  json out = json::array();
  for (const auto& g : facts.groups()) {
    json group = {{"id", std::to_string(g.gid())}, {"name", g.name()}};
    if (!g.members().empty()) {
      json members = json::array();
      for (const auto& m : g.members()) members.push_back(m);
      group["members"] = std::move(members);
    }
    out.push_back(std::move(group));
  }
  return out;
}

json Monitors(const v1::HostFacts& facts) {
  json out = json::array();
  for (const auto& m : facts.monitors()) {
    json monitor = json::object();
    Put(monitor, "caption", m.model());
    Put(monitor, "name", m.model());
    Put(monitor, "manufacturer", m.manufacturer());
    Put(monitor, "serial", m.serial());
    out.push_back(std::move(monitor));
  }
  return out;
}

int SourceRank(const std::string& kind) {
  if (kind == "glpi-agent" || kind == "fusioninventory") return 0;
  if (kind == "agent") return 1;
  if (kind == "ocs") return 2;
  return -1;  // a scanner: no host inventory
}

}  // namespace

int GlpiExportSourceIndex(const v1::Asset& asset) {
  int best = -1;
  for (int i = 0; i < asset.sources_size(); ++i) {
    const auto& s = asset.sources(i);
    const int rank = SourceRank(s.kind());
    if (rank < 0) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const auto& b = asset.sources(best);
    const int best_rank = SourceRank(b.kind());
    if (rank < best_rank || (rank == best_rank && s.last_seen() > b.last_seen())) best = i;
  }
  return best;
}

std::string GlpiDeviceId(const v1::Asset& asset, const GlpiExportSource& source) {
  if (source.kind != "agent") {
    if (const size_t colon = source.node_id.find(':'); colon != std::string::npos) {
      return source.node_id.substr(colon + 1);
    }
  }
  std::string host = source.facts.hostname().empty() ? asset.hostname() : source.facts.hostname();
  if (host.empty()) host = asset.id();
  const auto t = static_cast<time_t>(asset.first_seen());
  struct tm tm {};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d-%H-%M-%S", &tm);
  return host + "-" + when;
}

nlohmann::json GlpiInventory(const v1::Asset& asset, const GlpiExportSource& source) {
  const v1::HostFacts& facts = source.facts;
  json content = json::object();
  content["versionclient"] = VersionClient(source);
  content["bios"] = Bios(asset, facts.dmi());
  content["hardware"] = Hardware(facts);
  content["operatingsystem"] = OperatingSystem(facts);
  const std::pair<const char*, json> lists[] = {
      {"cpus", Cpus(facts.cpu())},
      {"memories", Memories(facts.dmi())},
      {"storages", Storages(facts.storage())},
      {"drives", Drives(facts.storage())},
      {"networks", Networks(facts.network())},
      {"softwares", Softwares(facts)},
      {"users", Users(facts)},
      {"local_users", LocalUsers(facts)},
      {"local_groups", LocalGroups(facts)},
      {"monitors", Monitors(facts)},
  };
  for (const auto& [key, list] : lists) {
    if (!list.empty()) content[key] = list;
  }
  return json{{"action", "inventory"},
              {"deviceid", GlpiDeviceId(asset, source)},
              {"itemtype", "Computer"},
              {"content", std::move(content)}};
}

}  // namespace estate::collector
