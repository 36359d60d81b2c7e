// Inventories of real devices, replayed from LibreNMS's snmpsim recordings
// (tests/fixtures/third_party/librenms, GPL-3.0, see ORIGIN.md), checked
// against LibreNMS's own expected discovery (the .json beside each recording).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "estate/text.h"
#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {
namespace {

const std::string kDir = ESTATE_SOURCE_DIR "/tests/fixtures/third_party/librenms/";

v1::NetworkDevice Inventory(const std::string& name) {
  static const PluginRegistry plugins = MakeBuiltinPlugins();
  std::vector<std::string> warnings;
  auto session = ReplaySession::FromSnmprecFile(kDir + name + ".snmprec", &warnings);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  auto enterprises = EnterpriseRegistry::Load(kDefaultEnterprisesPath);
  DeviceCollector collector("192.0.2.1", "v2c", plugins,
                            enterprises.ok() ? &*enterprises : nullptr);
  return CollectSync(collector, **session);
}

nlohmann::json Expected(const std::string& name) {
  std::ifstream in(kDir + name + ".json");
  return nlohmann::json::parse(in);
}

const nlohmann::json& Os(const nlohmann::json& j) { return j["os"]["discovery"]["devices"][0]; }

// "OID|TAG|VALUE" rows of a recording under `prefix` (a string prefix of the OID).
std::vector<std::pair<std::string, std::string>> RecordedRows(const std::string& name,
                                                              const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::ifstream in(kDir + name + ".snmprec");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(prefix)) continue;
    const size_t bar = line.find('|');
    const size_t bar2 = line.find('|', bar + 1);
    rows.push_back({line.substr(prefix.size(), bar - prefix.size()), line.substr(bar2 + 1)});
  }
  return rows;
}

// The ports LibreNMS discovered, with their ifVlan (the PVID / access VLAN).
const nlohmann::json& Ports(const nlohmann::json& expected) {
  const auto& section = expected["ports"];
  return section.contains("poller") && section["poller"].is_object()
             ? section["poller"]["ports"]
             : section["discovery"]["ports"];
}

void ExpectPvidsMatch(const v1::NetworkDevice& d, const nlohmann::json& expected) {
  std::map<uint32_t, uint32_t> pvid;
  for (const auto& i : d.interfaces()) pvid[i.index()] = i.pvid();
  size_t compared = 0;
  for (const auto& p : Ports(expected)) {
    if (!p["ifVlan"].is_string() || p["ifVlan"].get<std::string>().empty()) continue;
    if (p["ifTrunk"].is_string()) continue;  // a trunk's ifVlan is its native VLAN
    const uint32_t index = p["ifIndex"].get<uint32_t>();
    EXPECT_EQ(std::to_string(pvid[index]), p["ifVlan"].get<std::string>()) << "ifIndex " << index;
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

// Every port LibreNMS discovered is an interface with the same name, status,
// MAC and speed.
void ExpectInterfacesMatch(const v1::NetworkDevice& d, const nlohmann::json& expected) {
  const auto& section = expected["ports"];
  const auto& ports = section.contains("poller") && section["poller"].is_object()
                          ? section["poller"]["ports"]
                          : section["discovery"]["ports"];
  std::map<uint32_t, const v1::DeviceInterface*> ours;
  for (const auto& i : d.interfaces()) ours[i.index()] = &i;
  ASSERT_EQ(ours.size(), ports.size());
  for (const auto& p : ports) {
    const uint32_t index = p["ifIndex"].get<uint32_t>();
    ASSERT_TRUE(ours.count(index)) << "ifIndex " << index;
    const auto& i = *ours[index];
    if (p["ifName"].is_string()) {
      EXPECT_EQ(i.name(), p["ifName"].get<std::string>()) << index;
    }
    if (p["ifDescr"].is_string()) {
      EXPECT_EQ(i.descr(), p["ifDescr"].get<std::string>()) << index;
    }
    if (p["ifOperStatus"].is_string()) {
      EXPECT_EQ(i.oper_status(), p["ifOperStatus"].get<std::string>()) << index;
    }
    if (p["ifSpeed"].is_number()) {
      EXPECT_EQ(i.speed(), p["ifSpeed"].get<uint64_t>()) << index;
    }
    if (p["ifPhysAddress"].is_string()) {
      auto mac = NormalizeMac(p["ifPhysAddress"].get<std::string>());
      ASSERT_TRUE(mac);
      EXPECT_EQ(i.mac(), *mac == "00:00:00:00:00:00" ? "" : *mac) << index;
    }
  }
}

struct DeviceCase {
  const char* name;
  const char* vendor;
  const char* type;
  const char* model;
  const char* serial;
  const char* firmware;
};

class LibrenmsRecording : public ::testing::TestWithParam<DeviceCase> {};

TEST_P(LibrenmsRecording, IdentifiesVendorTypeModelSerialAndFirmware) {
  const DeviceCase& c = GetParam();
  const v1::NetworkDevice d = Inventory(c.name);
  const auto expected = Expected(c.name);
  EXPECT_EQ(d.sys_object_id(), Os(expected)["sysObjectID"].get<std::string>());
  EXPECT_EQ(d.vendor(), c.vendor);
  EXPECT_EQ(d.type(), c.type);
  EXPECT_EQ(d.model(), c.model);
  EXPECT_EQ(d.serial(), c.serial);
  EXPECT_EQ(d.firmware(), c.firmware);
  for (const auto& w : d.warnings()) ADD_FAILURE() << "unexpected warning: " << w;
}

TEST_P(LibrenmsRecording, ListsTheInterfacesLibrenmsDiscovered) {
  const DeviceCase& c = GetParam();
  const auto expected = Expected(c.name);
  if (!expected.contains("ports")) GTEST_SKIP() << c.name << ": LibreNMS recorded no ports";
  ExpectInterfacesMatch(Inventory(c.name), expected);
}

// Model, serial and version as LibreNMS reports them (its "hardware", "serial",
// "version"), except where noted.
INSTANTIATE_TEST_SUITE_P(
    RealDevices, LibrenmsRecording,
    ::testing::Values(
        DeviceCase{"ios_c3560", "Cisco", "switch", "WS-C3560-48TS-S", "CAT0912N0CU",
                   "12.2(55)SE12"},
        DeviceCase{"procurve_e2910", "HP", "switch", "J9146A E2910al-24G-PoE", "AB123CD45E",
                   "W.15.08.0012"},
        // LibreNMS leaves the serial empty; the JetDirect sysDescr carries it ("SN:").
        DeviceCase{"jetdirect_m252dw", "HP", "printer", "Color LaserJet Pro M252dw", "VNB3J99999",
                   ""},
        // LibreNMS joins model and UPS firmware into "hardware"; Estate keeps them apart.
        DeviceCase{"apc_smt750x-nmc2", "APC", "ups", "Smart-UPS X 750", "AS1907242163",
                   "UPS 09.8 (ID20)"},
        DeviceCase{"routeros_rb750gr3", "MikroTik", "router", "RB750Gr3", "6F3A071688EA", "7.20.4"},
        DeviceCase{"fortigate_60f", "Fortinet", "firewall", "FortiGate 60F", "FGT60FTK00000000",
                   "v7.2.6,build1575,230926 (GA.F)"},
        DeviceCase{"dsm_ds214se-dsm7", "Synology", "storage", "DS214se", "<private>", "7.1-42962"},
        DeviceCase{"drac_idrac7", "Dell", "server", "iDRAC7", "5GC8H32", "2.65.65.65"},
        DeviceCase{"unifi_unifi", "Ubiquiti", "access_point", "U-LTE-Pro-EU", "", "6.6.57.15206"},
        DeviceCase{"airos_airos8", "Ubiquiti", "access_point", "LiteBeam 5AC Gen2", "",
                   "8.7.4.45112.210415.1103"},
        DeviceCase{"tplink_sg2008", "TP-Link", "switch", "TL-SG2008 1.0", "",
                   "1.0.5 Build 20160401 Rel.43046"},
        DeviceCase{"windows", "Microsoft", "server", "", "", "Windows 6.1"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return n;
    });

TEST(LibrenmsRecording, LinuxNetSnmpHostIsAServerNamedByIana) {
  auto enterprises = EnterpriseRegistry::Load(kDefaultEnterprisesPath);
  if (!enterprises.ok()) GTEST_SKIP() << "libwireshark-data not installed (enterprises.tsv)";
  const v1::NetworkDevice d = Inventory("linux");
  EXPECT_EQ(d.vendor(), "net-snmp");
  EXPECT_EQ(d.enterprise(), 8072u);
  EXPECT_EQ(d.type(), "server");
  EXPECT_EQ(d.firmware(), "4.9.0");
}

TEST(LibrenmsRecording, CiscoChassisAndModulesComeFromEntityMib) {
  const v1::NetworkDevice d = Inventory("ios_c3560");
  const auto expected = Expected("ios_c3560");
  std::map<uint32_t, std::string> serials;
  for (const auto& e : expected["entity-physical"]["discovery"]["entPhysical"]) {
    if (e["entPhysicalSerialNum"].is_string() &&
        !e["entPhysicalSerialNum"].get<std::string>().empty()) {
      serials[e["entPhysicalIndex"].get<uint32_t>()] = e["entPhysicalSerialNum"].get<std::string>();
    }
  }
  ASSERT_FALSE(serials.empty());
  std::map<uint32_t, std::string> ours;
  for (const auto& m : d.modules()) {
    if (!m.serial().empty()) ours[m.index()] = m.serial();
  }
  EXPECT_EQ(ours, serials);
}

TEST(LibrenmsRecording, CiscoVlanContextsAreWalked) {
  // The recordings hold each VLAN's bridge-port table but no learned MACs, so
  // the forwarding table is empty; the per-VLAN walk must still succeed.
  const v1::NetworkDevice d = Inventory("ios_c3560");
  EXPECT_EQ(d.fdb_size(), 0);
  EXPECT_EQ(d.warnings_size(), 0);
}

TEST(LibrenmsRecording, ProcurveLldpNeighborsMatchLibrenmsLinks) {
  const v1::NetworkDevice d = Inventory("procurve_e2910");
  const auto links = Expected("procurve_e2910")["discovery-protocols"]["discovery"]["links"];
  ASSERT_EQ(d.neighbors_size(), static_cast<int>(links.size()));
  for (int i = 0; i < d.neighbors_size(); ++i) {
    const auto& n = d.neighbors(i);
    const auto& l = links[i];
    EXPECT_EQ(n.protocol(), l["protocol"].get<std::string>());
    EXPECT_EQ(n.remote_name(), l["remote_hostname"].get<std::string>());
    EXPECT_EQ(n.remote_platform(), l["remote_version"].get<std::string>());
    EXPECT_EQ(n.local_port_name(), l["ifName"].get<std::string>());
    EXPECT_EQ(n.local_port(), static_cast<uint32_t>(std::stoul(l["ifName"].get<std::string>())));
    // LibreNMS prints "41 (000000000000)": port ID and chassis ID.
    EXPECT_EQ(n.remote_port() + " (000000000000)", l["remote_port"].get<std::string>());
    EXPECT_EQ(n.remote_chassis_id(), "00:00:00:00:00:00");
  }
}

TEST(LibrenmsRecording, TplinkForwardingTableHasEveryLearnedMacWithVlanAndPort) {
  const v1::NetworkDevice d = Inventory("tplink_sg2008");
  ASSERT_EQ(d.fdb_size(), 46);
  const auto& first = d.fdb(0);
  std::map<std::string, const v1::FdbEntry*> by_mac;
  for (const auto& e : d.fdb()) by_mac[e.mac() + "/" + std::to_string(e.vlan())] = &e;
  ASSERT_TRUE(by_mac.count("00:00:0c:07:ac:00/10"));
  EXPECT_EQ(by_mac["00:00:0c:07:ac:00/10"]->port(), 1u);
  EXPECT_EQ(by_mac["00:00:0c:07:ac:00/10"]->port_name(), "port 1: Gigabit Copper");
  EXPECT_FALSE(first.mac().empty());
}

// Q-BRIDGE: every VLAN with its name, member and untagged ports as LibreNMS
// discovered them (its ports_vlans rows are by bridge port), and each port's
// PVID as LibreNMS's ifVlan.
TEST(LibrenmsRecording, TplinkVlansWithNamesMembersAndPvidsFromQBridge) {
  const v1::NetworkDevice d = Inventory("tplink_sg2008");
  const auto expected = Expected("tplink_sg2008");
  std::map<uint32_t, std::string> names, ours_names;
  for (const auto& v : expected["vlans"]["discovery"]["vlans"]) {
    names[v["vlan_vlan"].get<uint32_t>()] = v["vlan_name"].get<std::string>();
  }
  for (const auto& v : d.vlans()) ours_names[v.id()] = v.name();
  EXPECT_EQ(ours_names, names);

  std::map<uint32_t, uint32_t> if_index;  // bridge port -> ifIndex, as recorded
  for (const auto& [port, value] : RecordedRows("tplink_sg2008", "1.3.6.1.2.1.17.1.4.1.2.")) {
    if_index[static_cast<uint32_t>(std::stoul(port))] = static_cast<uint32_t>(std::stoul(value));
  }
  std::set<std::tuple<uint32_t, uint32_t, bool>> members, ours;  // vlan, ifIndex, untagged
  for (const auto& m : expected["vlans"]["discovery"]["ports_vlans"]) {
    const uint32_t port = m["baseport"].get<uint32_t>();
    ASSERT_TRUE(if_index.count(port)) << port;
    members.insert({m["vlan"].get<uint32_t>(), if_index[port], m["untagged"].get<int>() == 1});
  }
  ASSERT_FALSE(members.empty());
  for (const auto& v : d.vlans()) {
    std::set<uint32_t> untagged(v.untagged_ports().begin(), v.untagged_ports().end());
    for (uint32_t port : v.ports()) ours.insert({v.id(), port, untagged.count(port) > 0});
    for (uint32_t port : untagged) {
      EXPECT_TRUE(std::find(v.ports().begin(), v.ports().end(), port) != v.ports().end())
          << "VLAN " << v.id() << " untagged on " << port << " but not a member";
    }
  }
  EXPECT_EQ(ours, members);
  ExpectPvidsMatch(d, expected);
}

// Catalysts have no Q-BRIDGE: VLANs and names from VTP, access ports from
// vmVlan, compared with LibreNMS's VLAN list and ports' ifVlan.
TEST(LibrenmsRecording, CiscoVlansFromVtpAndAccessPortsFromVmVlan) {
  const v1::NetworkDevice d = Inventory("ios_c3560");
  const auto expected = Expected("ios_c3560");
  std::map<uint32_t, std::string> names, ours;
  for (const auto& v : expected["vlans"]["discovery"]["vlans"]) {
    names[v["vlan_vlan"].get<uint32_t>()] = v["vlan_name"].get<std::string>();
  }
  for (const auto& v : d.vlans()) ours[v.id()] = v.name();
  EXPECT_EQ(ours, names);
  ExpectPvidsMatch(d, expected);
}

// Processors: one per hrDeviceProcessor row, with its hrDeviceDescr.
TEST(LibrenmsRecording, LinuxProcessorsFromHostResources) {
  const v1::NetworkDevice d = Inventory("linux");
  std::map<std::string, std::string> descr;
  for (const auto& [index, value] : RecordedRows("linux", "1.3.6.1.2.1.25.3.2.1.3.")) {
    descr[index] = value;
  }
  std::map<std::string, std::string> expected;
  for (const auto& [index, type] : RecordedRows("linux", "1.3.6.1.2.1.25.3.2.1.2.")) {
    if (type == "1.3.6.1.2.1.25.3.1.3") expected[index] = descr[index];
  }
  ASSERT_FALSE(expected.empty());
  std::map<std::string, std::string> ours;
  for (const auto& p : d.processors()) {
    EXPECT_EQ(p.source(), "host-resources");
    ours[std::to_string(p.index())] = p.descr();
  }
  EXPECT_EQ(ours, expected);
  EXPECT_EQ(d.vlans_size(), 0);  // no bridge: the VLAN columns are not even asked for
}

// A router/switch listing its CPUs in ENTITY-MIB (class cpu) and no
// HOST-RESOURCES processors.
TEST(LibrenmsRecording, EntityCpuRowsAreProcessorsWhenHostResourcesHasNone) {
  const v1::NetworkDevice d = Inventory("iosxe_ie32008t2s-ios17-12");
  std::map<std::string, std::string> expected;  // entPhysicalIndex -> descr
  std::map<std::string, std::string> descr;
  for (const auto& [index, value] :
       RecordedRows("iosxe_ie32008t2s-ios17-12", "1.3.6.1.2.1.47.1.1.1.1.2.")) {
    descr[index] = value;
  }
  for (const auto& [index, value] :
       RecordedRows("iosxe_ie32008t2s-ios17-12", "1.3.6.1.2.1.47.1.1.1.1.5.")) {
    if (value == "12") expected[index] = descr[index];
  }
  ASSERT_FALSE(expected.empty());
  std::map<std::string, std::string> ours;
  for (const auto& p : d.processors()) {
    EXPECT_EQ(p.source(), "entity");
    ours[std::to_string(p.index())] = p.descr();
  }
  EXPECT_EQ(ours, expected);
}

TEST(LibrenmsRecording, RouterosForwardingTableSkipsCpuEntriesAndMapsBridgePorts) {
  const v1::NetworkDevice d = Inventory("routeros_rb750gr3");
  ASSERT_EQ(d.fdb_size(), 88);
  bool found = false;
  for (const auto& e : d.fdb()) {
    EXPECT_NE(e.port(), 0u) << e.mac();
    if (e.mac() == "00:20:6b:0d:40:68" && e.vlan() == 100) {
      found = true;
      EXPECT_EQ(e.port(), 10u);
    }
  }
  EXPECT_TRUE(found);
}

TEST(LibrenmsRecording, PrinterSuppliesAndPageCountComeFromPrinterMib) {
  const v1::NetworkDevice d = Inventory("jetdirect_m252dw");
  ASSERT_TRUE(d.has_printer());
  ASSERT_EQ(d.printer().supplies_size(), 4);
  EXPECT_EQ(d.printer().supplies(0).descr(), "Black Cartridge HP CF400X");
  EXPECT_EQ(d.printer().supplies(0).type(), "toner");
  EXPECT_EQ(d.printer().supplies(0).max_capacity(), 100);
  EXPECT_EQ(d.printer().supplies(0).level(), 63);
  EXPECT_EQ(d.printer().supplies(3).level(), 36);
}

}  // namespace
}  // namespace estate::plugins::snmp
