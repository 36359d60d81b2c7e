#include "tests/loadgen/truth_fleet.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <tuple>

#include "tests/loadgen/access_switch.h"
#include "tests/loadgen/det_random.h"

namespace estate::loadgen {
namespace {

constexpr int64_t kFullReportAt = 1735689600;  // 2025-01-01T00:00:00Z
constexpr uint64_t kGiB = 1ull << 30;

std::string Hex2(uint64_t byte) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned>(byte & 0xff));
  return buf;
}

std::string MacFromBytes(uint64_t value48) {
  std::string mac;
  for (int shift = 40; shift >= 0; shift -= 8) {
    if (!mac.empty()) mac += ':';
    mac += Hex2(value48 >> shift);
  }
  return mac;
}

std::string Mac(std::string_view oui, uint32_t suffix24) {
  return std::string(oui) + ":" + Hex2(suffix24 >> 16) + ":" + Hex2(suffix24 >> 8) + ":" +
         Hex2(suffix24);
}

// A bijection of the device index onto 24 bits (odd multiplier mod 2^24), so
// no two devices of one seed share a burned-in MAC suffix.
uint32_t Suffix24(uint64_t seed, uint32_t index) {
  return static_cast<uint32_t>((index * 0x5bd1e995ull + Hash("suffix", {seed})) & 0xffffff);
}

std::string SubnetIp(uint32_t subnet, uint32_t host) {
  return "10." + std::to_string(16 + subnet / 256) + "." + std::to_string(subnet % 256) + "." +
         std::to_string(host);
}

struct Vendor {
  const char* oui;
  const char* name;
};
const Vendor kServerVendors[] = {{"d0:94:66", "Dell Inc."},
                                 {"3c:fd:fe", "Intel Corporate"},
                                 {"94:40:c9", "Hewlett Packard Enterprise"}};
const Vendor kPrinterVendors[] = {{"10:e7:c6", "Hewlett Packard"},
                                  {"00:80:77", "Brother industries, LTD."}};
struct Unmanaged {
  const char* oui;
  const char* vendor;
  const char* prefix;
};
const Unmanaged kUnmanaged[] = {
    {"44:47:cc", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "cam-"},
    {"24:6f:28", "Espressif Inc.", "ESP_"},
    {"74:83:c2", "Ubiquiti Networks Inc.", "U6-"},
    {"a4:83:e7", "Apple, Inc.", "MacBook-"},
};

// Packages from outside the distribution archive, as agents report them.
const PlantedPackage kForeign[] = {
    {"google-chrome-stable", "131.0.6778.85-1", "Google LLC/stable",
     "Chrome Linux Team <chromium-dev@chromium.org>"},
    {"code", "1.95.3-1731513102", "code/stable",
     "Microsoft Corporation <vscode-linux@microsoft.com>"},
    {"teamviewer", "15.59.3", "local", "TeamViewer Germany GmbH <support@teamviewer.com>"},
    {"anydesk", "6.3.3", "AnyDesk/all", "philandro Software GmbH <info@anydesk.com>"},
    {"docker-ce", "5:27.3.1-1~debian.12~bookworm", "Docker/bookworm",
     "Docker <support@docker.com>"},
    {"acme-monitoring-agent", "2.4.1", "local", "ACME IT <it@acme.example>"},
    // A distribution package rebuilt locally: Debian's name and maintainer, not its archive.
    {"openssh-server", "1:9.2p1-2+deb12u3+acme1", "local",
     "Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>"},
};

// Weights of the non-switch device kinds, in TruthKind order up to kUnmanaged.
constexpr uint32_t kWeights[] = {28, 15, 10, 10, 12, 7, 0, 18};

TruthKind DrawKind(uint64_t h) {
  uint32_t total = 0;
  for (uint32_t w : kWeights) total += w;
  uint32_t x = static_cast<uint32_t>(h % total);
  for (uint32_t k = 0; k < std::size(kWeights); ++k) {
    if (x < kWeights[k]) return static_cast<TruthKind>(k);
    x -= kWeights[k];
  }
  return TruthKind::kUnmanaged;
}

void AddAddress(v1::NetworkInterface* nic, const std::string& address, uint32_t prefix,
                const char* family, const char* scope) {
  auto* a = nic->add_addresses();
  a->set_address(address);
  a->set_prefix_length(prefix);
  a->set_family(family);
  a->set_scope(scope);
}

}  // namespace

const char* TruthKindName(TruthKind kind) {
  switch (kind) {
    case TruthKind::kPhysical:
      return "physical";
    case TruthKind::kKvmVm:
      return "kvm-vm";
    case TruthKind::kOpenStackVm:
      return "openstack-vm";
    case TruthKind::kContainer:
      return "container";
    case TruthKind::kPhone:
      return "phone";
    case TruthKind::kPrinter:
      return "printer";
    case TruthKind::kSwitch:
      return "switch";
    case TruthKind::kUnmanaged:
      return "unmanaged";
  }
  return "?";
}

TruthFleet::TruthFleet(TruthFleetOptions options, const std::vector<PoolPackage>& pool)
    : options_(options), pool_(pool) {
  for (uint32_t i = 0; i < pool_.size(); ++i) {
    if (pool_[i].core) core_.push_back(i);
  }
  const uint64_t seed = options_.seed;
  subnets_ = (options_.devices + kTruthDevicesPerSubnet - 1) / kTruthDevicesPerSubnet;
  devices_.reserve(options_.devices);
  for (uint32_t index = 0; index < options_.devices; ++index) {
    const uint32_t subnet = index / kTruthDevicesPerSubnet;
    const uint32_t slot = index % kTruthDevicesPerSubnet;
    Rng rng(Hash("device", {seed, index}));
    TruthDevice d;
    d.subnet = subnet;
    d.kind = slot == 0 ? TruthKind::kSwitch : DrawKind(rng.Next());
    const uint32_t suffix = Suffix24(seed, index);
    char name[48];
    switch (d.kind) {
      case TruthKind::kSwitch:
        std::snprintf(name, sizeof name, "sw-%05u", subnet);
        d.ip = SubnetIp(subnet, 2);
        d.mac = Mac("f4:bd:9e", (subnet << 6) & 0xffffff);
        d.vendor = "Cisco Systems, Inc";
        d.serial = "FOC" + std::to_string(10000000 + subnet);
        break;
      case TruthKind::kPhysical: {
        const Vendor& v = rng.Pick(kServerVendors);
        std::snprintf(name, sizeof name, "srv-%06u", index);
        d.mac = Mac(v.oui, suffix);
        d.vendor = v.name;
        d.serial = "SRV" + std::to_string(5000000 + index);
        d.docker_bridge = rng.Chance(0.4);
        break;
      }
      case TruthKind::kKvmVm:
        std::snprintf(name, sizeof name, "kvm-%06u", index);
        d.mac = Mac("52:54:00", suffix);
        break;
      case TruthKind::kOpenStackVm:
        std::snprintf(name, sizeof name, "nova-%06u", index);
        d.mac = Mac("fa:16:3e", suffix);
        break;
      case TruthKind::kContainer:
        std::snprintf(name, sizeof name, "ctr-%06u", index);
        break;  // MAC from its address below, as Docker derives it
      case TruthKind::kPhone:
        std::snprintf(name, sizeof name, "%s-%06u", rng.Chance(0.5) ? "iPhone" : "Galaxy-S23",
                      index);
        break;
      case TruthKind::kPrinter: {
        const Vendor& v = rng.Pick(kPrinterVendors);
        std::snprintf(name, sizeof name, "prn-%06u", index);
        d.mac = Mac(v.oui, suffix);
        d.vendor = v.name;
        d.serial = "PRN" + std::to_string(7000000 + index);
        break;
      }
      case TruthKind::kUnmanaged: {
        const Unmanaged& u = rng.Pick(kUnmanaged);
        std::snprintf(name, sizeof name, "%s%06u", u.prefix, index);
        d.mac = Mac(u.oui, suffix);
        d.vendor = u.vendor;
        break;
      }
    }
    d.hostname = name;
    if (d.kind != TruthKind::kSwitch) d.ip = SubnetIp(subnet, 10 + slot);
    if (d.kind == TruthKind::kContainer) {
      // Docker's MAC for an address: 02:42 and the IPv4 bytes.
      d.mac =
          "02:42:0a:" + Hex2(16 + subnet / 256) + ":" + Hex2(subnet % 256) + ":" + Hex2(10 + slot);
    }
    if (d.kind == TruthKind::kPhone) d.mac = MacInRoundFor(seed, index, 0);
    d.port = d.kind == TruthKind::kSwitch ? 0 : 1 + static_cast<uint32_t>(rng.Below(48));
    // Moves are planted on managed hosts: drift is a difference from an
    // approved baseline, which a device nobody manages does not have (its
    // moves are in its history).
    if (d.agent() && options_.rounds > 1 && rng.Chance(options_.move_share)) {
      d.move_round = options_.rounds - 1;
      d.moved_port = 1 + (d.port + static_cast<uint32_t>(rng.Between(1, 46))) % 48;
    }
    if (d.agent() && rng.Chance(options_.foreign_share)) {
      const uint32_t count = 1 + static_cast<uint32_t>(rng.Below(2));
      for (uint32_t k = 0; k < count; ++k) {
        PlantedPackage p = rng.Pick(kForeign);
        if (std::any_of(d.foreign.begin(), d.foreign.end(),
                        [&](const PlantedPackage& q) { return q.name == p.name; })) {
          continue;
        }
        p.in_delta = options_.deltas > 0 && rng.Chance(0.5);
        d.foreign.push_back(p);
      }
    }
    devices_.push_back(std::move(d));
  }
}

std::string TruthFleet::MacInRoundFor(uint64_t seed, uint32_t device, uint32_t round) {
  // A fresh random locally administered unicast MAC (Android 10+, iOS 14+).
  const uint64_t h = Hash("phone-mac", {seed, device, round});
  return MacFromBytes((h & 0xfcffffffffffull) | 0x020000000000ull);
}

std::string TruthFleet::MacInRound(uint32_t device, uint32_t round) const {
  if (devices_[device].kind != TruthKind::kPhone) return devices_[device].mac;
  return MacInRoundFor(options_.seed, device, round);
}

std::string TruthFleet::IpInRound(uint32_t device, uint32_t round) const {
  const TruthDevice& d = devices_[device];
  if (d.kind != TruthKind::kPhone || round == 0) return d.ip;
  // A new MAC takes a new DHCP lease, from a pool the phones share: an address
  // another phone's old MAC had is handed out again.
  return SubnetIp(d.subnet, 200 + Hash("phone-ip", {options_.seed, device, round}) % 50);
}

uint32_t TruthFleet::PortInRound(uint32_t device, uint32_t round) const {
  const TruthDevice& d = devices_[device];
  return d.move_round != 0 && round >= d.move_round ? d.moved_port : d.port;
}

std::string TruthFleet::SwitchInterfaceMac(uint32_t subnet, uint32_t port) {
  return Mac("f4:bd:9e", ((subnet << 6) | port) & 0xffffff);
}

std::string TruthFleet::DockerBridgeMac(uint32_t device) const {
  return MacFromBytes(0x0242c0000000ull | (Hash("docker", {options_.seed, device}) & 0xffffff));
}

std::vector<std::string> TruthFleet::AllMacs(uint32_t device) const {
  const TruthDevice& d = devices_[device];
  std::vector<std::string> macs;
  if (d.kind == TruthKind::kPhone) {
    for (uint32_t round = 0; round < options_.rounds; ++round) {
      macs.push_back(MacInRound(device, round));
    }
    return macs;
  }
  macs.push_back(d.mac);
  if (d.docker_bridge) macs.push_back(DockerBridgeMac(device));
  if (d.kind == TruthKind::kSwitch) {
    for (uint32_t port = 1; port <= 52; ++port) macs.push_back(SwitchInterfaceMac(d.subnet, port));
  }
  return macs;
}

std::string TruthFleet::NodeId(uint32_t device) const {
  const uint64_t hi = Hash("node-hi", {options_.seed, device});
  const uint64_t lo = Hash("node-lo", {options_.seed, device});
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xfff),
                static_cast<unsigned>(lo >> 52),
                static_cast<unsigned long long>(lo & 0xffffffffffffull));
  return buf;
}

std::string TruthFleet::ScannerNodeId(uint32_t subnet, uint32_t stream) const {
  return "truth-" + std::to_string(options_.seed) + (stream == kArpStream ? "-arp-" : "-snmp-") +
         std::to_string(subnet);
}

std::string TruthFleet::SwitchName(uint32_t subnet) const {
  return devices_[subnet * kTruthDevicesPerSubnet].hostname;
}

std::string TruthFleet::SwitchIp(uint32_t subnet) const { return SubnetIp(subnet, 2); }

void TruthFleet::FillPackages(uint32_t device, bool with_delta_planted,
                              v1::HostFacts* facts) const {
  const TruthDevice& d = devices_[device];
  using Key = std::tuple<std::string, std::string>;
  std::vector<std::pair<Key, v1::Package>> packages;
  const uint64_t per_core = core_.empty() ? 0 : options_.packages;
  for (uint32_t i : core_) {
    if (Hash("pkg", {options_.seed, device, i}) % core_.size() >= per_core) continue;
    const PoolPackage& p = pool_[i];
    if (std::any_of(d.foreign.begin(), d.foreign.end(),
                    [&](const PlantedPackage& f) { return f.name == p.name; })) {
      continue;  // replaced by the planted build
    }
    v1::Package pkg;
    pkg.set_name(p.name);
    pkg.set_version(p.version);
    pkg.set_architecture(p.architecture);
    pkg.set_source("deb");
    pkg.set_install_time(kFullReportAt - 86400 * 100);
    pkg.set_publisher(p.maintainer);
    pkg.set_size_bytes(p.installed_bytes);
    pkg.set_source_package(p.source_package);
    pkg.add_origins("Debian/bookworm");
    pkg.set_distribution(true);
    pkg.set_origin_evidence("apt-lists");
    packages.emplace_back(Key{p.name, p.architecture}, std::move(pkg));
  }
  for (const PlantedPackage& f : d.foreign) {
    if (f.in_delta && !with_delta_planted) continue;
    v1::Package pkg;
    pkg.set_name(f.name);
    pkg.set_version(f.version);
    pkg.set_architecture("amd64");
    pkg.set_source("deb");
    pkg.set_install_time(kFullReportAt - 86400 * 10);
    pkg.set_publisher(f.publisher);
    pkg.set_size_bytes(100 << 20);
    pkg.add_origins(f.origin);
    pkg.set_distribution(false);
    pkg.set_origin_evidence("apt-lists");
    packages.emplace_back(Key{f.name, "amd64"}, std::move(pkg));
  }
  std::sort(packages.begin(), packages.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [key, pkg] : packages) *facts->add_software() = std::move(pkg);
}

void TruthFleet::BuildFacts(uint32_t device, uint32_t revision, v1::HostFacts* facts) const {
  facts->Clear();
  const TruthDevice& d = devices_[device];
  const uint64_t seed = options_.seed;
  facts->set_hostname(d.hostname);
  facts->set_fqdn(d.hostname + ".truth" + std::to_string(seed) + ".example.com");
  char machine_id[40];
  std::snprintf(machine_id, sizeof machine_id, "%016llx%016llx",
                static_cast<unsigned long long>(Hash("machine-hi", {seed, device})),
                static_cast<unsigned long long>(Hash("machine-lo", {seed, device})));
  facts->set_machine_id(machine_id);
  facts->set_kernel("#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)");

  auto* system = facts->mutable_system();
  const int64_t boot = kFullReportAt - 3600 - static_cast<int64_t>(device % 86400);
  system->set_boot_time(boot);
  system->set_uptime_seconds(kFullReportAt + revision * 3600 - boot);
  system->set_timezone("Etc/UTC");
  system->set_architecture("x86_64");
  auto* memory = facts->mutable_memory();
  memory->set_total_bytes(16 * kGiB);
  memory->set_available_bytes(16 * kGiB - (1 + (Hash("mem", {seed, device, revision}) % 8)) * kGiB);

  auto* dmi = facts->mutable_dmi();
  char uuid[40];
  const uint64_t u = Hash("uuid", {seed, device});
  std::snprintf(uuid, sizeof uuid, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(u >> 32),
                static_cast<unsigned>((u >> 16) & 0xffff), static_cast<unsigned>(u & 0xffff),
                static_cast<unsigned>(device & 0xffff),
                static_cast<unsigned long long>(Hash("uuid2", {seed, device}) & 0xffffffffffffull));
  switch (d.kind) {
    case TruthKind::kPhysical:
      dmi->set_system_vendor(d.vendor);
      dmi->set_product_name("PowerEdge R650");
      dmi->set_serial(d.serial);
      dmi->set_chassis_serial(d.serial);
      dmi->set_uuid(uuid);
      system->set_virtualization("none");
      break;
    case TruthKind::kKvmVm:
      dmi->set_system_vendor("QEMU");
      dmi->set_product_name("Standard PC (Q35 + ICH9, 2009)");
      dmi->set_uuid(uuid);
      system->set_virtualization("kvm");
      break;
    case TruthKind::kOpenStackVm:
      dmi->set_system_vendor("OpenStack Foundation");
      dmi->set_product_name("OpenStack Nova");
      dmi->set_uuid(uuid);
      dmi->set_serial(uuid);  // Nova sets the instance UUID as the serial
      system->set_virtualization("kvm");
      break;
    default:  // a container sees no DMI of its own
      system->set_virtualization("docker");
      break;
  }
  auto* os = facts->mutable_os();
  os->set_name("Debian GNU/Linux");
  os->set_version("12");
  os->set_id("debian");
  os->set_pretty_name("Debian GNU/Linux 12 (bookworm)");
  os->set_version_codename("bookworm");
  os->set_kernel_version("#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)");
  os->set_architecture("x86_64");

  auto* network = facts->mutable_network();
  auto* lo = network->add_interfaces();
  lo->set_name("lo");
  lo->set_mac("00:00:00:00:00:00");
  lo->set_state("unknown");
  lo->set_mtu(65536);
  lo->set_kind("loopback");
  lo->set_is_virtual(true);
  AddAddress(lo, "127.0.0.1", 8, "ipv4", "host");
  auto* nic = network->add_interfaces();
  const bool container = d.kind == TruthKind::kContainer;
  nic->set_name(d.kind == TruthKind::kPhysical ? "eno1" : (container ? "eth0" : "enp1s0"));
  nic->set_mac(d.mac);
  if (d.kind == TruthKind::kPhysical) nic->set_permanent_mac(d.mac);
  nic->set_driver(container ? "veth" : (d.kind == TruthKind::kPhysical ? "bnxt_en" : "virtio_net"));
  nic->set_speed_mbps(10000);
  nic->set_state("up");
  nic->set_mtu(1500);
  nic->set_kind(container ? "veth" : "physical");
  nic->set_is_virtual(container);
  AddAddress(nic, d.ip, 24, "ipv4", "global");
  if (d.docker_bridge) {
    // Every Docker host has 172.17.0.1: an address shared by unrelated machines.
    auto* docker = network->add_interfaces();
    docker->set_name("docker0");
    docker->set_mac(DockerBridgeMac(device));
    docker->set_state("up");
    docker->set_mtu(1500);
    docker->set_kind("bridge");
    docker->set_is_virtual(true);
    AddAddress(docker, "172.17.0.1", 16, "ipv4", "global");
  }
  FillPackages(device, revision > 0, facts);
}

void TruthFleet::BuildDelta(uint32_t device, uint32_t revision, v1::DeltaReport* delta) const {
  delta->clear_replaced_fields();
  delta->clear_values();
  delta->clear_software_upserted();
  delta->clear_software_removed();
  if (revision == 1) {
    // The delta-planted packages: exactly the software difference of revision 0 and 1.
    v1::HostFacts before, after;
    FillPackages(device, false, &before);
    FillPackages(device, true, &after);
    for (const auto& p : after.software()) {
      const bool known = std::any_of(before.software().begin(), before.software().end(),
                                     [&](const v1::Package& q) { return q.name() == p.name(); });
      if (!known) *delta->add_software_upserted() = p;
    }
  }
  v1::HostFacts facts;
  BuildFacts(device, revision, &facts);
  delta->add_replaced_fields(v1::HostFacts::kSystemFieldNumber);
  *delta->mutable_values()->mutable_system() = facts.system();
  delta->add_replaced_fields(v1::HostFacts::kMemoryFieldNumber);
  *delta->mutable_values()->mutable_memory() = facts.memory();
}

void TruthFleet::BuildSweep(uint32_t subnet, uint32_t stream, uint32_t round, int64_t now,
                            v1::ObservationReport* report) const {
  report->clear_observations();
  report->clear_devices();
  const bool arp_stream = stream == kArpStream;
  const uint32_t first = subnet * kTruthDevicesPerSubnet;
  const uint32_t last =
      std::min<uint32_t>(first + kTruthDevicesPerSubnet, static_cast<uint32_t>(devices_.size()));
  const std::string switch_name = SwitchName(subnet);
  const std::string switch_ip = SwitchIp(subnet);
  const uint32_t vlan = 100 + subnet % 400;

  const AccessSwitch access{switch_ip, switch_name, devices_[first].serial, vlan,
                            [subnet](uint32_t port) { return SwitchInterfaceMac(subnet, port); }};
  v1::NetworkDevice scratch;
  auto* sw = arp_stream ? &scratch : report->add_devices();
  FillAccessSwitch(access, now, sw);

  for (uint32_t index = first; index < last; ++index) {
    const TruthDevice& d = devices_[index];
    const std::string mac = MacInRound(index, round);
    const std::string ip = IpInRound(index, round);
    const bool local = (std::stoul(mac.substr(0, 2), nullptr, 16) & 0x02) != 0;
    // What the scanner sees on the wire: ARP for everything with an address,
    // a phone by its DHCP request (host name, fingerprint).
    v1::Observation ignored;
    auto* o = arp_stream ? report->add_observations() : &ignored;
    o->set_seen_at(now);
    o->set_ip(ip);
    o->set_mac(mac);
    o->set_vendor(d.vendor);
    o->set_mac_locally_administered(local);
    o->set_interface("eth0");
    if (d.kind == TruthKind::kPhone) {
      o->set_source(v1::OBSERVATION_SOURCE_PASSIVE_DHCP);
      o->set_hostname(d.hostname);
      auto* dhcp = o->mutable_dhcp();
      dhcp->set_hostname(d.hostname);
      dhcp->set_vendor_class(d.hostname.starts_with("Galaxy") ? "android-dhcp-14" : "");
      for (uint32_t option : {1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114}) {
        dhcp->add_parameter_list(option);
      }
      dhcp->set_message_type(3);
    } else {
      o->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
      o->set_probe("arp");
      o->set_rtt_us(200 + index % 900);
    }
    if (d.kind == TruthKind::kSwitch || arp_stream) continue;
    // The switch's ARP table (it routes the VLAN) and its forwarding table.
    auto* arp = report->add_observations();
    arp->set_source(v1::OBSERVATION_SOURCE_SNMP_ARP_TABLE);
    arp->set_seen_at(now);
    arp->set_ip(ip);
    arp->set_mac(mac);
    arp->set_mac_locally_administered(local);
    arp->set_reporter(switch_ip);
    auto* entry = sw->add_arp();
    entry->set_ip(ip);
    entry->set_mac(mac);
    entry->set_if_index(10000 + vlan);

    PlaceOnPort(access, PortInRound(index, round), mac, d.vendor, local, now,
                report->add_observations(), sw);

    if (d.kind == TruthKind::kPrinter) {
      auto* p = report->add_devices();
      p->set_ip(ip);
      p->set_sys_name(d.hostname);
      p->set_sys_descr(d.vendor.starts_with("Brother") ? "Brother NC-8300w, Firmware Ver.1.05"
                                                       : "HP ETHERNET MULTI-ENVIRONMENT");
      p->set_sys_object_id(d.vendor.starts_with("Brother") ? "1.3.6.1.4.1.2435.2.3.9.1"
                                                           : "1.3.6.1.4.1.11.2.3.9.1");
      p->set_vendor(d.vendor.starts_with("Brother") ? "Brother" : "HP");
      p->set_type("printer");
      p->set_serial(d.serial);
      p->set_snmp_version("v2c");
      p->set_scanned_at(now);
      auto* i = p->add_interfaces();
      i->set_index(1);
      i->set_name("eth0");
      i->set_type(6);
      i->set_mac(d.mac);
      p->mutable_printer()->set_serial(d.serial);
      p->mutable_printer()->set_page_count(1000 + round * 37 + index % 1000);
    }
  }
}

}  // namespace estate::loadgen
