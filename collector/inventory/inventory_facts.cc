#include "collector/inventory/inventory_facts.h"

#include <arpa/inet.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr uint64_t kMiB = 1u << 20;

std::string Str(std::string_view s) { return SanitizeUtf8(Trim(s)); }

// The first of `names` that the node has with a non-empty text.
std::string_view First(const InventoryNode& node, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    std::string_view v = node.Text(name);
    if (!v.empty()) return v;
  }
  return {};
}

// The leading number of "1333 MHz", "2530", "100 Mb/s"; 0 when there is none.
double Number(std::string_view s) {
  s = Trim(s);
  std::string digits;
  for (char c : s) {
    if ((c >= '0' && c <= '9') || c == '.') {
      digits.push_back(c);
    } else {
      break;
    }
  }
  if (digits.empty()) return 0;
  try {
    return std::stod(digits);
  } catch (...) {
    return 0;
  }
}

uint64_t Count(std::string_view s) { return static_cast<uint64_t>(Number(s)); }

bool Truthy(std::string_view s) {
  const std::string v = ToLower(Trim(s));
  return v == "1" || v == "true" || v == "yes";
}

// "2015-04-17", "2015-04-17T03:02:45Z", "2017-05-15 09:23:09", "11/09/2015"
// (the agents' day/month/year on Windows and macOS); 0 when it is none of them.
int64_t ParseDate(std::string_view text) {
  const std::string s(Trim(text));
  struct tm tm {};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) >= 3 ||
      std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &mo, &d) == 3) {
    // as read
  } else if (std::sscanf(s.c_str(), "%2d/%2d/%4d", &d, &mo, &y) == 3) {
    h = mi = sec = 0;
  } else {
    return 0;
  }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31) return 0;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<int64_t>(timegm(&tm));
}

// 255.255.255.0 -> 24; "64" -> 64; ffff:ffff:ffff:ffff:: -> 64.
uint32_t PrefixLength(std::string_view mask, bool v6) {
  const std::string m(Trim(mask));
  if (m.empty()) return 0;
  if (m.find_first_not_of("0123456789") == std::string::npos)
    return static_cast<uint32_t>(Count(m));
  unsigned char bytes[16] = {};
  if (inet_pton(v6 ? AF_INET6 : AF_INET, m.c_str(), bytes) != 1) return 0;
  uint32_t bits = 0;
  for (int i = 0; i < (v6 ? 16 : 4); ++i)
    bits += static_cast<uint32_t>(__builtin_popcount(bytes[i]));
  return bits;
}

std::string AddressScope(const std::string& ip) {
  if (StartsWith(ip, "127.") || ip == "::1") return "host";
  if (StartsWith(ToLower(ip), "fe80:") || StartsWith(ip, "169.254.")) return "link";
  return "global";
}

void MapOs(const InventoryNode& content, v1::HostFacts* facts) {
  const InventoryNode empty;
  const InventoryNode* os = content.Child("OPERATINGSYSTEM");
  const InventoryNode* hw = content.Child("HARDWARE");
  const InventoryNode& o = os ? *os : empty;
  const InventoryNode& h = hw ? *hw : empty;
  std::string_view full = First(o, {"FULL_NAME"});
  if (full.empty()) full = h.Text("OSNAME");
  std::string_view kernel_name = First(o, {"KERNEL_NAME"});
  if (kernel_name.empty()) kernel_name = h.Text("ARCHNAME");  // MSWin32-x64-multi-thread
  std::string_view name = o.Text("NAME");
  std::string_view version = First(o, {"VERSION"});
  std::string kernel = Str(First(o, {"KERNEL_VERSION"}));
  // The OCS Unix agent has no OPERATINGSYSTEM: HARDWARE says OSNAME "NAME
  // VERSION_ID", OSVERSION the VERSION_ID and OSCOMMENTS os-release's
  // PRETTY_NAME, and no kernel release. Its Windows agent (and the
  // FusionInventory agents' HARDWARE) put Windows' build in OSVERSION.
  std::string unix_name;
  const bool windows = ToLower(full).find("windows") != std::string::npos;
  if (os == nullptr && !windows && !h.Text("OSVERSION").empty()) {
    version = h.Text("OSVERSION");
    unix_name = Str(h.Text("OSNAME"));
    const std::string suffix = " " + Str(version);
    if (unix_name.size() > suffix.size() &&
        unix_name.compare(unix_name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      unix_name.resize(unix_name.size() - suffix.size());
    }
    name = unix_name;
    if (!h.Text("OSCOMMENTS").empty()) full = h.Text("OSCOMMENTS");
  }
  *facts->mutable_os() = NormalizeForeignOs(full, name, version, kernel_name);
  auto* out = facts->mutable_os();
  // The kernel: Windows' build (6.3.9600), Darwin's release, Linux' uname -r.
  if (kernel.empty() && unix_name.empty()) kernel = Str(h.Text("OSVERSION"));
  facts->set_kernel(kernel);
  out->set_kernel_version(kernel);
  const std::string arch = Str(First(o, {"ARCH"}).empty() ? h.Text("ARCH") : o.Text("ARCH"));
  out->set_architecture(arch);
  facts->mutable_system()->set_architecture(arch);
  out->set_install_time(ParseDate(First(o, {"INSTALL_DATE"})));
  facts->mutable_system()->set_boot_time(ParseDate(First(o, {"BOOT_TIME"})));
  if (const InventoryNode* tz = o.Child("TIMEZONE")) {
    facts->mutable_system()->set_timezone(Str(tz->Text("NAME")));
  }
  std::string_view fqdn = o.Text("FQDN");
  facts->set_hostname(Str(h.Text("NAME")));
  if (facts->hostname().empty() && !fqdn.empty()) {
    facts->set_hostname(Str(fqdn.substr(0, fqdn.find('.'))));
  }
  facts->set_fqdn(Str(fqdn.empty() ? std::string_view(facts->hostname()) : fqdn));
  const std::string vm = ToLower(Trim(h.Text("VMSYSTEM")));
  if (!vm.empty() && vm != "physical") facts->mutable_system()->set_virtualization(vm);
}

void MapHardware(const InventoryNode& content, v1::HostFacts* facts) {
  auto* dmi = facts->mutable_dmi();
  if (const InventoryNode* bios = content.Child("BIOS")) {
    dmi->set_system_vendor(Str(bios->Text("SMANUFACTURER")));
    dmi->set_product_name(Str(bios->Text("SMODEL")));
    dmi->set_serial(Str(bios->Text("SSN")));
    dmi->set_bios_vendor(Str(bios->Text("BMANUFACTURER")));
    dmi->set_bios_version(Str(bios->Text("BVERSION")));
    dmi->set_bios_date(Str(bios->Text("BDATE")));
    dmi->set_board_vendor(Str(bios->Text("MMANUFACTURER")));
    dmi->set_board_name(Str(bios->Text("MMODEL")));
    dmi->set_board_serial(Str(bios->Text("MSN")));
    dmi->set_chassis_asset_tag(Str(bios->Text("ASSETTAG")));
    dmi->set_chassis_type(Str(bios->Text("TYPE")));  // OCS puts the chassis here
  }
  if (const InventoryNode* hw = content.Child("HARDWARE")) {
    if (!hw->Text("CHASSIS_TYPE").empty()) dmi->set_chassis_type(Str(hw->Text("CHASSIS_TYPE")));
    dmi->set_uuid(Str(hw->Text("UUID")));
    facts->mutable_memory()->set_total_bytes(Count(hw->Text("MEMORY")) * kMiB);
    facts->mutable_memory()->set_swap_total_bytes(Count(hw->Text("SWAP")) * kMiB);
    for (auto dns : Split(hw->Text("DNS"), '/')) {
      for (auto server : Split(dns, ',')) {
        if (!Trim(server).empty()) facts->mutable_network()->add_dns_servers(Str(server));
      }
    }
    if (!hw->Text("DEFAULTGATEWAY").empty()) {
      auto* route = facts->mutable_network()->add_default_routes();
      route->set_destination("default");
      route->set_gateway(Str(hw->Text("DEFAULTGATEWAY")));
      route->set_family(Str(hw->Text("DEFAULTGATEWAY")).find(':') == std::string::npos ? "ipv4"
                                                                                       : "ipv6");
    }
  }
  uint64_t module_total = 0;
  for (const InventoryNode* m : content.All("MEMORIES")) {
    auto* module = dmi->add_memory_modules();
    module->set_locator(Str(First(*m, {"CAPTION", "DESCRIPTION"})));
    module->set_size_bytes(Count(m->Text("CAPACITY")) * kMiB);
    module->set_speed_mts(static_cast<uint32_t>(Count(m->Text("SPEED"))));
    module->set_type(Str(m->Text("TYPE")));
    module->set_form_factor(Str(First(*m, {"FORMFACTOR", "DESCRIPTION"})));
    module->set_manufacturer(Str(m->Text("MANUFACTURER")));
    module->set_serial(Str(m->Text("SERIALNUMBER")));
    module->set_part_number(Str(m->Text("MODEL")));
    module_total += module->size_bytes();
  }
  if (facts->memory().total_bytes() == 0) facts->mutable_memory()->set_total_bytes(module_total);

  auto* cpu = facts->mutable_cpu();
  uint32_t sockets = 0, cores = 0, logical = 0;
  for (const InventoryNode* c : content.All("CPUS")) {
    ++sockets;
    const auto core = static_cast<uint32_t>(Count(First(*c, {"CORE", "CORES"})));
    // Threads of the socket: FusionInventory's THREAD, OCS's LOGICAL_CPUS.
    const auto threads = static_cast<uint32_t>(Count(First(*c, {"THREAD", "LOGICAL_CPUS"})));
    cores += core;
    logical += std::max({threads, core, 1u});
    if (cpu->model().empty()) {
      cpu->set_model(Str(First(*c, {"NAME", "TYPE"})));
      cpu->set_vendor(Str(c->Text("MANUFACTURER")));
      cpu->set_mhz(Number(c->Text("SPEED")));
    }
  }
  if (sockets == 0) {
    if (const InventoryNode* hw = content.Child("HARDWARE")) {
      sockets = static_cast<uint32_t>(Count(hw->Text("PROCESSORN")));
      logical = sockets;
      cpu->set_model(Str(hw->Text("PROCESSORT")));
      cpu->set_mhz(Number(hw->Text("PROCESSORS")));
    }
  }
  cpu->set_sockets(sockets);
  cpu->set_cores(cores);
  cpu->set_logical(logical);
}

void MapStorage(const InventoryNode& content, v1::HostFacts* facts) {
  auto* storage = facts->mutable_storage();
  for (const InventoryNode* s : content.All("STORAGES")) {
    auto* disk = storage->add_disks();
    disk->set_name(Str(s->Text("NAME")));
    disk->set_model(Str(s->Text("MODEL")));
    disk->set_serial(Str(First(*s, {"SERIALNUMBER", "SERIAL"})));
    disk->set_vendor(Str(s->Text("MANUFACTURER")));
    disk->set_size_bytes(Count(s->Text("DISKSIZE")) * kMiB);
    const std::string type =
        ToLower(std::string(s->Text("TYPE")) + " " + std::string(s->Text("DESCRIPTION")) + " " +
                std::string(s->Text("INTERFACE")));
    if (type.find("cd") != std::string::npos || type.find("dvd") != std::string::npos) {
      disk->set_kind("optical");
    } else if (type.find("nvme") != std::string::npos) {
      disk->set_kind("nvme");
    } else if (type.find("ssd") != std::string::npos) {
      disk->set_kind("ssd");
    }
    disk->set_removable(type.find("removable") != std::string::npos ||
                        type.find("usb") != std::string::npos);
  }
  for (const InventoryNode* d : content.All("DRIVES")) {
    auto* fs = storage->add_filesystems();
    const std::string letter = Str(d->Text("LETTER"));
    const std::string type = Str(d->Text("TYPE"));
    // Windows names a volume by its letter; Unix agents put the mount point in TYPE.
    fs->set_mount_point(!letter.empty() ? letter : StartsWith(type, "/") ? type : "");
    fs->set_device(Str(First(*d, {"VOLUMN", "LABEL"})));
    fs->set_type(Str(d->Text("FILESYSTEM")));
    fs->set_size_bytes(Count(d->Text("TOTAL")) * kMiB);
    fs->set_free_bytes(Count(d->Text("FREE")) * kMiB);
  }
}

void MapNetwork(const InventoryNode& content, v1::HostFacts* facts) {
  const bool macos = facts->os().id() == "macos";
  auto* network = facts->mutable_network();
  // One interface per name and MAC: Windows agents repeat a card once per address.
  std::map<std::pair<std::string, std::string>, v1::NetworkInterface*> seen;
  std::set<std::string> gateways;
  for (const auto& r : network->default_routes()) gateways.insert(r.gateway());
  for (const InventoryNode* n : content.All("NETWORKS")) {
    const std::string name = Str(First(*n, {"DESCRIPTION", "NAME"}));
    // XML says MACADDR, the GLPI JSON schema mac.
    const std::string mac = NormalizeMac(First(*n, {"MACADDR", "MAC"})).value_or("");
    auto& nic = seen[{name, mac}];
    if (nic == nullptr) {
      nic = network->add_interfaces();
      nic->set_name(name);
      nic->set_mac(mac);
      nic->set_state(ToLower(Trim(n->Text("STATUS"))));
      nic->set_mtu(static_cast<uint32_t>(Count(n->Text("MTU"))));
      nic->set_driver(Str(n->Text("DRIVER")));
      const std::string speed = ToLower(Trim(n->Text("SPEED")));
      uint64_t mbps = Count(speed);
      if (speed.find("gb") != std::string::npos) mbps *= 1000;
      nic->set_speed_mbps(mbps);
      const std::string type = ToLower(Trim(n->Text("TYPE")));
      nic->set_is_virtual(Truthy(n->Text("VIRTUALDEV")));
      // The agents mark every macOS interface VIRTUALDEV 1, the Ethernet, Wi-Fi
      // and FireWire ports too: there the BSD name tells (enN, fwN are ports).
      if (macos) nic->set_is_virtual(!StartsWith(name, "en") && !StartsWith(name, "fw"));
      if (type == "loopback" || name == "lo" || name == "lo0" ||
          StartsWith(ToLower(name), "loopback")) {
        nic->set_kind("loopback");
      } else if (nic->is_virtual()) {
        nic->set_kind("virtual");
      } else if (!mac.empty()) {
        nic->set_kind("physical");
      }
    }
    auto add = [&](std::string_view address, std::string_view mask, bool v6) {
      for (auto one : Split(address, ',')) {
        const std::string ip = Str(one);
        if (ip.empty()) continue;
        auto* a = nic->add_addresses();
        a->set_address(ip);
        a->set_family(v6 ? "ipv6" : "ipv4");
        a->set_prefix_length(PrefixLength(mask, v6));
        a->set_scope(AddressScope(ip));
        if (a->scope() == "host" && nic->kind().empty()) nic->set_kind("loopback");
      }
    };
    add(n->Text("IPADDRESS"), n->Text("IPMASK"), false);
    add(n->Text("IPADDRESS6"), n->Text("IPMASK6"), true);
    const std::string gateway = Str(n->Text("IPGATEWAY"));
    if (!gateway.empty() && gateways.insert(gateway).second) {
      auto* route = network->add_default_routes();
      route->set_destination("default");
      route->set_gateway(gateway);
      route->set_interface(name);
      route->set_family(gateway.find(':') == std::string::npos ? "ipv4" : "ipv6");
    }
  }
}

void MapSoftware(const InventoryNode& content, const v1::OsFacts& os, v1::HostFacts* facts) {
  // Where a package came from when the agent does not say (FROM): the
  // platform's own register.
  const std::string default_source = os.id() == "windows" ? "registry"
                                     : os.id() == "macos" ? "application"
                                                          : "";
  std::set<std::tuple<std::string, std::string, std::string>> keys;
  for (const InventoryNode* s : content.All("SOFTWARES")) {
    const std::string name = Str(s->Text("NAME"));
    if (name.empty()) continue;
    std::string source = ToLower(Trim(s->Text("FROM")));
    if (source.empty()) source = default_source;
    const std::string arch = Str(First(*s, {"ARCH", "ARCHITECTURE"}));
    // The same title twice (a registry entry under both views): once.
    if (!keys.insert({name, arch, source}).second) continue;
    auto* p = facts->add_software();
    p->set_name(name);
    p->set_version(Str(s->Text("VERSION")));
    p->set_architecture(arch);
    p->set_source(source);
    p->set_publisher(Str(s->Text("PUBLISHER")));
    p->set_install_time(ParseDate(First(*s, {"INSTALLDATE", "INSTALL_DATE"})));
    p->set_size_bytes(Count(First(*s, {"FILESIZE", "SIZE"})));
  }
}

void MapPeople(const InventoryNode& content, v1::HostFacts* facts) {
  for (const InventoryNode* u : content.All("USERS")) {
    const std::string login = Str(u->Text("LOGIN"));
    if (login.empty()) continue;
    const std::string domain = Str(u->Text("DOMAIN"));
    facts->add_sessions()->set_user(domain.empty() ? login : domain + "\\" + login);
  }
  for (const InventoryNode* u : content.All("LOCAL_USERS")) {
    auto* user = facts->add_users();
    user->set_name(Str(u->Text("LOGIN")));
    user->set_uid(static_cast<uint32_t>(Count(u->Text("ID"))));
    user->set_gecos(Str(u->Text("NAME")));
    user->set_home(Str(u->Text("HOME")));
    user->set_shell(Str(u->Text("SHELL")));
  }
  for (const InventoryNode* g : content.All("LOCAL_GROUPS")) {
    auto* group = facts->add_groups();
    group->set_name(Str(g->Text("NAME")));
    group->set_gid(static_cast<uint32_t>(Count(g->Text("ID"))));
    for (const InventoryNode& m : g->children) {
      if (m.name == "MEMBER" || m.name == "MEMBERS") group->add_members(Str(m.text));
    }
  }
}

void MapPeripherals(const InventoryNode& content, v1::HostFacts* facts) {
  for (const InventoryNode* m : content.All("MONITORS")) {
    auto* monitor = facts->add_monitors();
    monitor->set_model(Str(First(*m, {"CAPTION", "DESCRIPTION"})));
    monitor->set_manufacturer(Str(m->Text("MANUFACTURER")));
    monitor->set_serial(Str(First(*m, {"SERIAL", "ALTSERIAL"})));
  }
  for (const InventoryNode* b : content.All("BATTERIES")) {
    auto* battery = facts->add_batteries();
    battery->set_name(Str(b->Text("NAME")));
    battery->set_model(Str(b->Text("NAME")));
    battery->set_manufacturer(Str(b->Text("MANUFACTURER")));
    battery->set_serial(Str(b->Text("SERIAL")));
    battery->set_technology(Str(b->Text("CHEMISTRY")));
    battery->set_capacity_unit("mWh");
    battery->set_design_capacity(Count(b->Text("CAPACITY")));
    battery->set_full_capacity(Count(b->Text("REAL_CAPACITY")));
    if (battery->design_capacity() && battery->full_capacity()) {
      battery->set_health_percent(100.0 * static_cast<double>(battery->full_capacity()) /
                                  static_cast<double>(battery->design_capacity()));
    }
  }
}

}  // namespace

v1::OsFacts NormalizeForeignOs(std::string_view full_name, std::string_view name,
                               std::string_view version, std::string_view kernel_name) {
  v1::OsFacts os;
  std::string full = Str(full_name);
  const std::string lower_full = ToLower(full);
  const std::string kernel = ToLower(Trim(kernel_name));
  const std::string lower_name = ToLower(Trim(name));
  // "10.13.5 (17F77)": the build in brackets is not the version.
  std::string ver = Str(version);
  if (auto space = ver.find(' '); space != std::string::npos) ver = ver.substr(0, space);
  if (lower_full.find("windows") != std::string::npos || StartsWith(kernel, "mswin") ||
      lower_name == "windows") {
    os.set_id("windows");
    os.set_name("Windows");
    if (StartsWith(full, "Microsoft ")) full = full.substr(10);
    // The release: "Windows 10 Pro" -> 10, "Windows Server 2012 R2 Standard" -> Server 2012 R2.
    auto words = Split(full, ' ');
    std::string release;
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i].empty()) continue;
      release = std::string(words[i]);
      if (words[i] == "Server" && i + 1 < words.size()) {
        release += " " + std::string(words[i + 1]);
        if (i + 2 < words.size() && words[i + 2] == "R2") release += " R2";
      }
      break;
    }
    os.set_version(release);
    os.set_pretty_name(full.empty() ? "Windows" : full);
  } else if (lower_full.find("mac") != std::string::npos || kernel == "darwin" ||
             lower_name.find("mac") != std::string::npos) {
    os.set_id("macos");
    os.set_name("macOS");
    os.set_version(ver);
    os.set_pretty_name(ver.empty() ? "macOS" : "macOS " + ver);
  } else {
    os.set_name(Str(name.empty() ? full_name : name));
    std::string id = ToLower(os.name());
    if (auto space = id.find_first_of(" /"); space != std::string::npos) id = id.substr(0, space);
    os.set_id(id);
    os.set_version(ver);
    os.set_pretty_name(!full.empty() ? full : ver.empty() ? os.name() : os.name() + " " + ver);
  }
  return os;
}

v1::HostFacts InventoryToFacts(const InventoryNode& content) {
  v1::HostFacts facts;
  MapOs(content, &facts);
  MapHardware(content, &facts);
  MapStorage(content, &facts);
  MapNetwork(content, &facts);  // after MapOs: it reads the OS
  MapSoftware(content, facts.os(), &facts);
  MapPeople(content, &facts);
  MapPeripherals(content, &facts);
  return facts;
}

}  // namespace estate::collector
