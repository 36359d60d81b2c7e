// Real inventories from FusionInventory agents on Windows, macOS and Linux, and
// GLPI native JSON, as glpi-project/inventory_format publishes them
// (tests/fixtures/third_party/glpi-inventory-format/README.md), mapped to facts.
#include "collector/inventory/inventory_facts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "collector/reconcile/asset_summary.h"

namespace estate::collector {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(ESTATE_SOURCE_DIR) +
                   "/tests/fixtures/third_party/glpi-inventory-format/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

v1::HostFacts FromXml(const std::string& name) {
  auto root = ParseInventoryXml(Fixture(name));
  EXPECT_TRUE(root.ok()) << root.status().ToString();
  if (!root.ok() || root->Child("CONTENT") == nullptr) return {};
  return InventoryToFacts(*root->Child("CONTENT"));
}

v1::HostFacts FromJson(const std::string& name) {
  auto json = nlohmann::json::parse(Fixture(name));
  auto content = InventoryTreeFromJson("content", json.at("content"));
  EXPECT_TRUE(content.ok());
  return content.ok() ? InventoryToFacts(*content) : v1::HostFacts();
}

std::vector<std::string> Macs(const v1::HostFacts& facts) { return HardwareMacs(facts); }

TEST(InventoryFacts, WindowsLaptopFromFusionInventory) {
  v1::HostFacts f = FromXml("xml/12.xml");
  EXPECT_EQ(f.hostname(), "pc-arg-23");
  EXPECT_EQ(f.fqdn(), "pc-arg-23.cedre.local");
  EXPECT_EQ(f.dmi().serial(), "CZC0479792");
  EXPECT_EQ(f.dmi().system_vendor(), "Hewlett-Packard");
  EXPECT_EQ(f.dmi().product_name(), "HP EliteBook 2540p");
  EXPECT_EQ(f.dmi().uuid(), "33E737A8-F827-11DF-9297-47C0A301005A");
  EXPECT_EQ(f.dmi().chassis_type(), "Notebook");
  EXPECT_EQ(f.os().id(), "windows");
  EXPECT_EQ(f.os().version(), "8.1");
  EXPECT_EQ(f.os().pretty_name(), "Windows 8.1 Professionnel");
  EXPECT_EQ(f.kernel(), "6.3.9600");
  EXPECT_EQ(f.cpu().cores(), 2u);
  EXPECT_EQ(f.cpu().logical(), 4u);
  EXPECT_EQ(f.memory().total_bytes(), 3887ull << 20);
  ASSERT_EQ(f.software_size(), 8);
  const v1::Package& ccleaner = f.software(0);
  EXPECT_EQ(ccleaner.name(), "CCleaner");
  EXPECT_EQ(ccleaner.version(), "5.09");
  EXPECT_EQ(ccleaner.publisher(), "Piriform");
  EXPECT_EQ(ccleaner.source(), "registry");
  EXPECT_EQ(ccleaner.install_time(), 1441929600);  // 11/09/2015 is 11 September
  // The Wi-Fi, Ethernet, Bluetooth PAN and TAP ports; not the hosted-network
  // virtual adapter, nor 61:b5:.. (a group address).
  EXPECT_EQ(Macs(f), (std::vector<std::string>{"00:22:10:d4:3e:74", "00:ff:3a:68:62:80",
                                               "68:b5:99:e6:84:eb", "74:f3:95:c7:e8:c2"}));
  ASSERT_EQ(f.sessions_size(), 1);
  EXPECT_EQ(f.sessions(0).user(), "CEDRE\\cvigneron");
}

TEST(InventoryFacts, MacFromFusionInventory) {
  v1::HostFacts f = FromXml("xml/4.xml");
  EXPECT_EQ(f.dmi().serial(), "C02NG5A5FY11");
  EXPECT_EQ(f.dmi().system_vendor(), "Apple Inc.");
  EXPECT_EQ(f.dmi().product_name(), "iMac15,1");
  EXPECT_EQ(f.os().id(), "macos");
  EXPECT_EQ(f.os().version(), "10.13.5");
  EXPECT_EQ(f.os().pretty_name(), "macOS 10.13.5");
  EXPECT_EQ(f.kernel(), "17.6.0");
  EXPECT_EQ(f.software_size(), 7);
  EXPECT_EQ(f.cpu().cores(), 4u);
  // en0 (Ethernet) and en1 (Wi-Fi); the Thunderbolt bridge's and AWDL's
  // addresses are locally administered.
  EXPECT_EQ(Macs(f), (std::vector<std::string>{"0c:4d:e9:cd:a4:c8", "88:63:df:b8:00:2d"}));

  v1::HostFacts old = FromXml("xml/3.xml");
  EXPECT_EQ(old.dmi().serial(), "W87051UGVUV");
  EXPECT_EQ(old.os().version(), "10.6.8");
  EXPECT_EQ(old.software_size(), 40);
  EXPECT_EQ(Macs(old), (std::vector<std::string>{"00:17:f2:d1:14:32", "00:19:e3:db:64:d2",
                                                 "00:19:e3:ff:fe:71"}));
}

TEST(InventoryFacts, LinuxFromFusionInventory) {
  v1::HostFacts f = FromXml("xml/1.xml");
  EXPECT_EQ(f.dmi().serial(), "9E113232I");
  EXPECT_EQ(f.os().id(), "fedora");
  EXPECT_EQ(f.os().version(), "25");
  EXPECT_EQ(f.os().pretty_name(), "Fedora release 25 (Twenty Five)");
  EXPECT_EQ(f.software_size(), 42);
  EXPECT_EQ(f.software(0).source(), "rpm");
  EXPECT_EQ(f.memory().total_bytes(), 7908ull << 20);
  // The loopback is one interface with its address, not two.
  int loopbacks = 0;
  for (const auto& nic : f.network().interfaces()) loopbacks += nic.kind() == "loopback";
  EXPECT_EQ(loopbacks, 1);
  bool root_fs = false;
  for (const auto& fs : f.storage().filesystems()) {
    if (fs.mount_point() == "/") {
      root_fs = true;
      EXPECT_EQ(fs.device(), "/dev/mapper/fedora-root");
      EXPECT_EQ(fs.type(), "ext4");
      EXPECT_EQ(fs.size_bytes(), 150268ull << 20);
    }
  }
  EXPECT_TRUE(root_fs);
}

TEST(InventoryFacts, GlpiNativeJson) {
  v1::HostFacts f = FromJson("json/computer_1.json");
  EXPECT_EQ(f.dmi().serial(), "640HP72");
  EXPECT_EQ(f.dmi().product_name(), "XPS 13 9350");
  EXPECT_EQ(f.dmi().uuid(), "4c4c4544-0034-3010-8048-b6c04f503732");
  EXPECT_EQ(f.os().pretty_name(), "Fedora 31 (Workstation Edition)");
  EXPECT_EQ(f.software_size(), 6);
  EXPECT_EQ(f.software(0).name(), "gitg");
  EXPECT_EQ(f.software(0).install_time(), 1576713600);  // install_date 2019-12-19
  EXPECT_EQ(f.software(0).size_bytes(), 2335956u);
  // JSON says mac where XML says MACADDR.
  EXPECT_EQ(Macs(f), (std::vector<std::string>{"00:e0:4c:68:01:db", "44:85:00:2b:90:bc"}));
}

TEST(InventoryFacts, NormalisesOsNames) {
  auto server =
      NormalizeForeignOs("Microsoft Windows Server 2012 R2 Standard", "Windows", "", "MSWin32");
  EXPECT_EQ(server.id(), "windows");
  EXPECT_EQ(server.version(), "Server 2012 R2");
  EXPECT_EQ(server.pretty_name(), "Windows Server 2012 R2 Standard");
  auto ten = NormalizeForeignOs("Microsoft Windows 10 Pro", "", "10.0.19045", "");
  EXPECT_EQ(ten.version(), "10");
  auto debian =
      NormalizeForeignOs("Debian GNU/Linux 12 (bookworm)", "Debian GNU/Linux", "12", "linux");
  EXPECT_EQ(debian.id(), "debian");
  EXPECT_EQ(debian.version(), "12");
}

}  // namespace
}  // namespace estate::collector

namespace estate::collector {
namespace {

// HARDWARE as ocsinventory-agent 2.10 (Debian) writes it: no OPERATINGSYSTEM,
// the distribution in OSNAME/OSVERSION/OSCOMMENTS (its OSRelease module).
v1::HostFacts FromOcsHardware(const std::string& hardware) {
  auto root = ParseInventoryXml("<REQUEST><CONTENT><HARDWARE>" + hardware +
                                "</HARDWARE></CONTENT></REQUEST>");
  EXPECT_TRUE(root.ok());
  return root.ok() ? InventoryToFacts(*root->Child("CONTENT")) : v1::HostFacts();
}

TEST(InventoryFacts, OcsUnixAgentNamesTheDistributionNotTheKernel) {
  const v1::HostFacts facts = FromOcsHardware(
      "<NAME>vm</NAME><OSNAME>Debian GNU/Linux 12</OSNAME><OSVERSION>12</OSVERSION>"
      "<OSCOMMENTS>Debian GNU/Linux 12 (bookworm)</OSCOMMENTS><MEMORY>24105</MEMORY>");
  EXPECT_EQ(facts.os().id(), "debian");
  EXPECT_EQ(facts.os().name(), "Debian GNU/Linux");
  EXPECT_EQ(facts.os().version(), "12");
  EXPECT_EQ(facts.os().pretty_name(), "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(facts.kernel(), "");  // the agent does not say it
  EXPECT_EQ(facts.memory().total_bytes(), 24105ull << 20);
}

TEST(InventoryFacts, OcsWindowsAgentKeepsTheBuildAsKernel) {
  const v1::HostFacts facts = FromOcsHardware(
      "<NAME>pc-1</NAME><OSNAME>Microsoft Windows 10 Pro</OSNAME>"
      "<OSVERSION>10.0.19045</OSVERSION><OSCOMMENTS></OSCOMMENTS>");
  EXPECT_EQ(facts.os().id(), "windows");
  EXPECT_EQ(facts.os().version(), "10");
  EXPECT_EQ(facts.kernel(), "10.0.19045");
}

}  // namespace
}  // namespace estate::collector
