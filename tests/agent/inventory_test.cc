// The whole collector list over captured machines under tests/fixtures/roots.
#include "agent/inventory.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "agent/collectors/builtin_collectors.h"
#include "agent/collectors/interface_address_source.h"
#include "tests/agent/fixture_paths.h"

namespace estate::agent {
namespace {

using testing::FixturePath;
using testing::RootPath;

class WorkstationInventory : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    addresses_ = MakeFileAddressSource(FixturePath("roots/ws-debian12.ip-addr.txt")).release();
    CollectContext context{HostRoot(RootPath("ws-debian12")), addresses_, false, ""};
    facts_ = new v1::HostFacts(CollectInventory(context, BuiltinCollectors()));
  }
  static void TearDownTestSuite() {
    delete facts_;
    delete addresses_;
  }
  static const v1::NetworkInterface& Interface(const std::string& name) {
    for (const auto& iface : facts_->network().interfaces()) {
      if (iface.name() == name) return iface;
    }
    ADD_FAILURE() << "no interface " << name;
    return v1::NetworkInterface::default_instance();
  }
  static const v1::Package* Package(const std::string& name) {
    for (const auto& p : facts_->software()) {
      if (p.name() == name) return &p;
    }
    return nullptr;
  }

  static InterfaceAddressSource* addresses_;
  static v1::HostFacts* facts_;
};

InterfaceAddressSource* WorkstationInventory::addresses_ = nullptr;
v1::HostFacts* WorkstationInventory::facts_ = nullptr;

TEST_F(WorkstationInventory, HasNoWarnings) {
  EXPECT_EQ(facts_->warnings_size(), 0) << facts_->warnings(0);
}

TEST_F(WorkstationInventory, ReportsSystemIdentity) {
  EXPECT_EQ(facts_->hostname(), "ws-042");
  EXPECT_EQ(facts_->fqdn(), "ws-042.corp.example.com");
  EXPECT_EQ(facts_->machine_id(), "5f0c9a3e8b7d4c21a6e9f0b1c2d3e4f5");
  EXPECT_EQ(facts_->kernel(), "6.1.0-18-amd64");
  EXPECT_EQ(facts_->system().boot_time(), 1717000000);
  EXPECT_EQ(facts_->system().uptime_seconds(), 86400);
  EXPECT_EQ(facts_->system().timezone(), "Europe/Paris");
  EXPECT_EQ(facts_->system().architecture(), "x86_64");
  EXPECT_EQ(facts_->system().virtualization(), "");
  EXPECT_EQ(facts_->system().container(), "");
}

TEST_F(WorkstationInventory, ReportsOsRelease) {
  const auto& os = facts_->os();
  EXPECT_EQ(os.name(), "Debian GNU/Linux");
  EXPECT_EQ(os.version(), "12");
  EXPECT_EQ(os.id(), "debian");
  EXPECT_EQ(os.version_codename(), "bookworm");
  EXPECT_EQ(os.pretty_name(), "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(os.kernel_version(), "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
}

TEST_F(WorkstationInventory, ReportsDmiIdentityAndMemoryModules) {
  const auto& dmi = facts_->dmi();
  EXPECT_EQ(dmi.system_vendor(), "LENOVO");
  EXPECT_EQ(dmi.product_name(), "20XWCTO1WW");
  EXPECT_EQ(dmi.product_version(), "ThinkPad X1 Carbon Gen 9");
  EXPECT_EQ(dmi.serial(), "PF2ABCDE");
  EXPECT_EQ(dmi.uuid(), "4c4c4544-0042-3510-8052-b4c04f4e4b32");
  EXPECT_EQ(dmi.chassis_type(), "Notebook");
  EXPECT_EQ(dmi.chassis_asset_tag(), "IT-004217");
  EXPECT_EQ(dmi.bios_version(), "N32ET86W (1.62 )");
  EXPECT_EQ(dmi.bios_date(), "02/22/2024");
  EXPECT_EQ(dmi.board_serial(), "L1HF16Q00AB");
  EXPECT_EQ(dmi.unavailable_size(), 0);
  EXPECT_EQ(dmi.memory_modules_size(), 16);
}

TEST_F(WorkstationInventory, ReportsCpuAndMemory) {
  const auto& cpu = facts_->cpu();
  EXPECT_EQ(cpu.model(), "11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz");
  EXPECT_EQ(cpu.sockets(), 1u);
  EXPECT_EQ(cpu.cores(), 2u);
  EXPECT_EQ(cpu.logical(), 4u);
  EXPECT_DOUBLE_EQ(cpu.max_mhz(), 4700.0);
  EXPECT_EQ(facts_->memory().total_bytes(), 16211000ull * 1024);
  EXPECT_EQ(facts_->memory().swap_total_bytes(), 1000000ull * 1024);
}

TEST_F(WorkstationInventory, ReportsDisksPartitionsAndFilesystems) {
  const auto& storage = facts_->storage();
  ASSERT_EQ(storage.disks_size(), 2);  // loop0 is left out
  const auto& nvme = storage.disks(0);
  EXPECT_EQ(nvme.name(), "nvme0n1");
  EXPECT_EQ(nvme.kind(), "nvme");
  EXPECT_EQ(nvme.model(), "SAMSUNG MZVL21T0HCLR-00BL7");
  EXPECT_EQ(nvme.serial(), "S64PNX0T512345");
  EXPECT_EQ(nvme.size_bytes(), 1000215216ull * 512);
  EXPECT_EQ(nvme.wwn(), "eui.002538b511b12345");
  ASSERT_EQ(nvme.partitions_size(), 2);
  EXPECT_EQ(nvme.partitions(1).filesystem(), "ext4");
  EXPECT_EQ(nvme.partitions(1).uuid(), "0b1e6a2c-55d3-4c1b-9d0e-3f2a1b4c5d6e");
  const auto& usb = storage.disks(1);
  EXPECT_EQ(usb.name(), "sdb");
  EXPECT_TRUE(usb.removable());
  EXPECT_EQ(usb.vendor(), "SanDisk");
  ASSERT_EQ(storage.filesystems_size(), 4);
  EXPECT_EQ(storage.filesystems(0).mount_point(), "/");
  EXPECT_EQ(storage.filesystems(2).mount_point(), "/media/alice/USB STICK");
  EXPECT_EQ(storage.filesystems(3).type(), "nfs4");
}

TEST_F(WorkstationInventory, ReportsInterfacesWithKindsAndAddresses) {
  ASSERT_EQ(facts_->network().interfaces_size(), 6);
  const auto& eth = Interface("enp0s31f6");
  EXPECT_EQ(eth.mac(), "8c:16:45:aa:bb:01");
  EXPECT_EQ(eth.driver(), "e1000e");
  EXPECT_EQ(eth.speed_mbps(), 1000u);
  EXPECT_EQ(eth.state(), "up");
  EXPECT_EQ(eth.kind(), "physical");
  EXPECT_FALSE(eth.is_virtual());
  ASSERT_EQ(eth.addresses_size(), 3);
  EXPECT_EQ(eth.addresses(0).address(), "192.0.2.42");
  EXPECT_EQ(eth.addresses(0).prefix_length(), 24u);
  EXPECT_EQ(eth.addresses(2).scope(), "link");
  EXPECT_EQ(Interface("wlp0s20f3").kind(), "physical");
  EXPECT_EQ(Interface("wlp0s20f3").driver(), "iwlwifi");
  EXPECT_EQ(Interface("docker0").kind(), "docker");
  EXPECT_TRUE(Interface("docker0").is_virtual());
  EXPECT_EQ(Interface("veth1a2b3c").kind(), "veth");
  EXPECT_EQ(Interface("wg0").kind(), "wireguard");
  EXPECT_EQ(Interface("wg0").addresses(0).address(), "10.8.0.2");
  EXPECT_EQ(Interface("lo").kind(), "loopback");
  EXPECT_EQ(Interface("lo").mac(), "");
}

TEST_F(WorkstationInventory, ReportsRoutesAndDns) {
  const auto& network = facts_->network();
  ASSERT_EQ(network.default_routes_size(), 2);
  EXPECT_EQ(network.default_routes(0).gateway(), "192.0.2.1");
  EXPECT_EQ(network.default_routes(1).gateway(), "fe80::1");
  ASSERT_EQ(network.dns_servers_size(), 2);
  EXPECT_EQ(network.dns_servers(1), "2001:db8::53");
  ASSERT_EQ(network.search_domains_size(), 1);
  EXPECT_EQ(network.search_domains(0), "corp.example.com");
}

TEST_F(WorkstationInventory, ReportsSoftwareFromDpkgSnapAndFlatpak) {
  ASSERT_EQ(facts_->software_size(),
            5);  // 3 deb (vim-tiny is only config files), 1 snap, 1 flatpak
  const v1::Package* ssh = Package("openssh-server");
  ASSERT_NE(ssh, nullptr);
  EXPECT_EQ(ssh->version(), "1:9.2p1-2+deb12u2");
  EXPECT_EQ(ssh->source(), "deb");
  EXPECT_EQ(ssh->source_package(), "openssh");
  EXPECT_GT(ssh->install_time(), 0);                // from the mtime of its .list file
  EXPECT_EQ(Package("tzdata")->install_time(), 0);  // no .list file in the fixture
  EXPECT_EQ(Package("vim-tiny"), nullptr);
  const v1::Package* snap = Package("hello-world");
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->source(), "snap");
  EXPECT_EQ(snap->version(), "6.4");
  const v1::Package* flatpak = Package("org.gnome.Calculator");
  ASSERT_NE(flatpak, nullptr);
  EXPECT_EQ(flatpak->source(), "flatpak");
  EXPECT_EQ(flatpak->version(), "46.1");
  EXPECT_EQ(flatpak->architecture(), "x86_64");
}

TEST_F(WorkstationInventory, ReportsUsersGroupsAndSessions) {
  ASSERT_EQ(facts_->users_size(), 4);
  EXPECT_EQ(facts_->users(3).name(), "alice");
  EXPECT_EQ(facts_->users(3).uid(), 1000u);
  EXPECT_TRUE(facts_->users(3).login_capable());
  EXPECT_FALSE(facts_->users(1).login_capable());
  ASSERT_EQ(facts_->groups_size(), 4);
  EXPECT_EQ(facts_->groups(3).members_size(), 2);
  ASSERT_EQ(facts_->sessions_size(), 2);
  EXPECT_EQ(facts_->sessions(1).user(), "alice");
  EXPECT_EQ(facts_->sessions(1).tty(), "pts/0");
  EXPECT_EQ(facts_->sessions(1).host(), "192.0.2.77");
  EXPECT_EQ(facts_->sessions(1).login_time(), 1717003600);
}

TEST_F(WorkstationInventory, ReportsEnabledAndRunningServices) {
  std::map<std::string, v1::SystemdUnit> units;
  for (const auto& u : facts_->services()) units[u.name()] = u;
  ASSERT_EQ(units.size(), 5u);
  EXPECT_TRUE(units["ssh.service"].enabled());
  EXPECT_TRUE(units["ssh.service"].running());
  EXPECT_TRUE(units["cups.service"].enabled());
  EXPECT_FALSE(units["cups.service"].running());  // empty cgroup
  EXPECT_TRUE(units["avahi-daemon.service"].running());
  EXPECT_EQ(units["bluetooth.service"].unit_file_state(), "masked");
  EXPECT_TRUE(units["apt-daily.timer"].enabled());
}

TEST_F(WorkstationInventory, ReportsListeningSocketsWithOwners) {
  ASSERT_EQ(facts_->listening_size(), 4);  // the established connection is left out
  const auto& ssh = facts_->listening(0);
  EXPECT_EQ(ssh.protocol(), "tcp");
  EXPECT_EQ(ssh.address(), "0.0.0.0");
  EXPECT_EQ(ssh.port(), 22u);
  EXPECT_EQ(ssh.pid(), 812u);
  EXPECT_EQ(ssh.process(), "sshd");
  EXPECT_EQ(facts_->listening(1).address(), "127.0.0.1");
  EXPECT_EQ(facts_->listening(1).port(), 631u);
  EXPECT_EQ(facts_->listening(1).pid(), 0u);  // no process holds it in the fixture
  EXPECT_EQ(facts_->listening(2).protocol(), "tcp6");
  EXPECT_EQ(facts_->listening(2).address(), "::");
  EXPECT_EQ(facts_->listening(3).protocol(), "udp");
  EXPECT_EQ(facts_->listening(3).port(), 5353u);
  EXPECT_EQ(facts_->listening(3).process(), "avahi-daemon");
  EXPECT_EQ(facts_->listening(3).uid(), 108u);
}

TEST_F(WorkstationInventory, ReportsPciAndUsbDevicesWithNames) {
  ASSERT_EQ(facts_->pci_devices_size(), 4);
  const auto& nic = facts_->pci_devices(2);
  EXPECT_EQ(nic.slot(), "0000:00:1f.6");
  EXPECT_EQ(nic.vendor(), "Intel Corporation");
  EXPECT_EQ(nic.device(), "Ethernet Connection (7) I219-LM");
  EXPECT_EQ(nic.class_name(), "Ethernet controller");
  EXPECT_EQ(nic.driver(), "e1000e");
  const auto& nvme = facts_->pci_devices(3);
  EXPECT_EQ(nvme.vendor(), "Samsung Electronics Co Ltd");
  EXPECT_EQ(nvme.class_name(), "Non-Volatile memory controller");
  EXPECT_EQ(facts_->pci_devices(0).device(), "");  // 9a49 is not in the fixture's pci.ids
  ASSERT_EQ(facts_->usb_devices_size(), 3);        // the interface 1-2:1.0 is left out
  EXPECT_EQ(facts_->usb_devices(0).vendor(), "Logitech, Inc.");
  EXPECT_EQ(facts_->usb_devices(0).product(), "Unifying Receiver");
  EXPECT_EQ(facts_->usb_devices(1).vendor(), "Acme");  // the device's own string
  EXPECT_EQ(facts_->usb_devices(1).serial(), "AC-99");
  EXPECT_EQ(facts_->usb_devices(2).product(), "2.0 root hub");
}

TEST(BrokenHostInventory, WarnsAndStillReportsTheRest) {
  CollectContext context{HostRoot(RootPath("broken-host")), nullptr, false, ""};
  v1::HostFacts facts = CollectInventory(context, BuiltinCollectors());
  EXPECT_EQ(facts.hostname(), "broken-host");
  EXPECT_EQ(facts.os().version(), "12");
  EXPECT_EQ(facts.cpu().logical(), 1u);
  ASSERT_EQ(facts.software_size(), 2);
  EXPECT_EQ(facts.software(0).name(), "good-one");
  EXPECT_EQ(facts.software(1).name(), "good-two");
  EXPECT_EQ(facts.dmi().memory_modules_size(), 5);
  EXPECT_EQ(facts.memory().total_bytes(), 0u);
  auto has_warning = [&](const std::string& prefix, const std::string& text) {
    return std::any_of(facts.warnings().begin(), facts.warnings().end(), [&](const std::string& w) {
      return w.rfind(prefix, 0) == 0 && w.find(text) != std::string::npos;
    });
  };
  EXPECT_TRUE(has_warning("memory: ", "/proc/meminfo"));
  EXPECT_TRUE(has_warning("dpkg: ", "line 6"));
  EXPECT_TRUE(has_warning("smbios: ", "truncated"));
}

// A host whose files are Latin-1: what a strict protobuf parser (the
// collector's) makes of the report decides whether the host is ever seen.
TEST(Latin1HostInventory, YieldsValidUtf8AndSaysWhichSourcesHadBadBytes) {
  CollectContext context{HostRoot(RootPath("latin1-host")), nullptr, false, {}};
  v1::HostFacts facts = CollectInventory(context, BuiltinCollectors());
  v1::HostFacts parsed;
  ASSERT_TRUE(parsed.ParseFromString(facts.SerializeAsString()))
      << "the report must parse as the collector parses it";
  const std::string kReplacement = "\xef\xbf\xbd";  // U+FFFD
  EXPECT_EQ(facts.hostname(), "b" + kReplacement + "ro-m" + kReplacement + "ller");
  EXPECT_EQ(facts.os().pretty_name(),
            "Debian GNU/Linux 12 (poste de d" + kReplacement + "veloppement)");
  const v1::Package* local = nullptr;
  for (const auto& p : facts.software()) {
    if (p.name() == "outil-local") local = &p;
  }
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->version(), "1.0-" + kReplacement + "t" + kReplacement + "2");
  EXPECT_EQ(local->publisher(),
            "Jos" + kReplacement + " M" + kReplacement + "ller <jose@example.org>");
  // One warning per source, naming the fields, so an operator knows where to look.
  auto warning = [&](const std::string& prefix) {
    std::vector<std::string> found;
    for (const auto& w : facts.warnings()) {
      if (w.rfind(prefix, 0) == 0 && w.find("invalid UTF-8") != std::string::npos) {
        found.push_back(w);
      }
    }
    return found;
  };
  ASSERT_EQ(warning("system: ").size(), 1u);
  EXPECT_NE(warning("system: ")[0].find("2 fields: hostname, fqdn"), std::string::npos)
      << warning("system: ")[0];
  ASSERT_EQ(warning("os: ").size(), 1u);
  EXPECT_NE(warning("os: ")[0].find("os.pretty_name"), std::string::npos);
  ASSERT_EQ(warning("dpkg: ").size(), 1u);
  EXPECT_NE(warning("dpkg: ")[0].find("software[outil-local].version"), std::string::npos)
      << warning("dpkg: ")[0];
  EXPECT_TRUE(warning("smbios: ").empty());
}

class ThrowingCollector : public Collector {
 public:
  std::string_view Name() const override { return "thrower"; }
  void Collect(const CollectContext&, v1::HostFacts*) const override {
    throw std::runtime_error("boom");
  }
};

TEST(CollectInventory, TurnsAThrowingCollectorIntoAWarning) {
  std::vector<std::unique_ptr<Collector>> list;
  list.push_back(std::make_unique<ThrowingCollector>());
  list.push_back(std::move(BuiltinCollectors().front()));
  CollectContext context{HostRoot(RootPath("ws-debian12")), nullptr, false, ""};
  v1::HostFacts facts = CollectInventory(context, list);
  ASSERT_EQ(facts.warnings_size(), 1);
  EXPECT_EQ(facts.warnings(0), "thrower: failed: boom");
  EXPECT_EQ(facts.hostname(), "ws-042");
}

}  // namespace
}  // namespace estate::agent
