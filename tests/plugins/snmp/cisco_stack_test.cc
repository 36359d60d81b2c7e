// The Cisco plugin and the bridge/CDP/ARP mappers on snmpsim's recording of a
// real Catalyst 3750 stack (tests/fixtures/third_party/snmpsim, BSD-2-clause).
#include <gtest/gtest.h>

#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/observations.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {
namespace {

v1::NetworkDevice Stack() {
  static const PluginRegistry plugins = MakeBuiltinPlugins();
  std::vector<std::string> warnings;
  auto session = ReplaySession::FromSnmprecFile(
      ESTATE_SOURCE_DIR "/tests/fixtures/third_party/snmpsim/cisco_16_switch.snmprec", &warnings);
  EXPECT_TRUE(session.ok());
  EXPECT_TRUE(warnings.empty());
  DeviceCollector c("10.204.88.2", "v2c", plugins, nullptr);
  return CollectSync(c, **session);
}

TEST(CiscoPlugin, StackMemberChassisGivesModelSerialAndIosVersion) {
  auto d = Stack();
  EXPECT_EQ(d.vendor(), "Cisco");
  EXPECT_EQ(d.type(), "switch");
  EXPECT_EQ(d.sys_name(), "Profiler3750");
  EXPECT_EQ(d.model(), "WS-C3750-48PS-S");
  EXPECT_EQ(d.serial(), "CAT0952N20R");
  EXPECT_EQ(d.firmware(), "12.2(55)SE10");
  bool power_supply = false;
  for (const auto& m : d.modules()) {
    if (m.serial() == "LIT095000BE") {
      power_supply = true;
      EXPECT_EQ(m.class_name(), "powerSupply");
      EXPECT_EQ(m.contained_in(), 3001u);
    }
  }
  EXPECT_TRUE(power_supply);
}

TEST(CiscoPlugin, ForwardingTableMapsTheBridgePortToItsInterface) {
  auto d = Stack();
  ASSERT_EQ(d.fdb_size(), 1);
  EXPECT_EQ(d.fdb(0).mac(), "68:99:cd:a5:9f:88");
  EXPECT_EQ(d.fdb(0).port(), 11048u);  // bridge port 160
  EXPECT_EQ(d.fdb(0).port_name(), "Fa3/0/48");
}

TEST(CiscoPlugin, CdpNeighborIsListedWithItsAddressAndPlatform) {
  auto d = Stack();
  ASSERT_EQ(d.neighbors_size(), 1);
  const auto& n = d.neighbors(0);
  EXPECT_EQ(n.protocol(), "cdp");
  EXPECT_EQ(n.remote_name(), "C2960X.uac.local");
  EXPECT_EQ(n.remote_port(), "GigabitEthernet1/0/8");
  EXPECT_EQ(n.remote_platform(), "cisco WS-C2960X-24PD-L");
  EXPECT_EQ(n.remote_address(), "10.204.88.10");
  EXPECT_EQ(n.local_port(), 11048u);
  EXPECT_EQ(n.local_port_name(), "Fa3/0/48");
}

TEST(CiscoPlugin, VlanContextsThatDoNotAnswerAreWarningsPerContext) {
  // The recording has no per-VLAN files: every VLAN's community@VLAN walk
  // goes unanswered, which costs that context only.
  auto d = Stack();
  ASSERT_GT(d.warnings_size(), 0);
  for (const auto& w : d.warnings()) EXPECT_NE(w.find("(context "), std::string::npos) << w;
  EXPECT_GT(d.interfaces_size(), 50);
}

TEST(CiscoPlugin, ArpTableBecomesObservationsOfOtherHosts) {
  auto d = Stack();
  EXPECT_EQ(d.arp_size(), 85);
  int arp = 0, fdb = 0, cdp = 0;
  for (const auto& o : DeviceObservations(d)) {
    arp += o.source() == v1::OBSERVATION_SOURCE_SNMP_ARP_TABLE;
    fdb += o.source() == v1::OBSERVATION_SOURCE_SNMP_FDB;
    cdp += o.source() == v1::OBSERVATION_SOURCE_SNMP_NEIGHBOR;
    EXPECT_EQ(o.reporter(), "Profiler3750");
  }
  EXPECT_EQ(arp, 85);
  EXPECT_EQ(fdb, 1);
  EXPECT_EQ(cdp, 1);
}

}  // namespace
}  // namespace estate::plugins::snmp
