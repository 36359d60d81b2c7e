#include "plugins/snmp/walk_parser.h"

#include <gtest/gtest.h>

#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {
namespace {

const std::string kFixtures = ESTATE_SOURCE_DIR "/tests/fixtures/";

TEST(SnmpWalkParser, ParsesEveryValueTypeSnmpwalkPrints) {
  auto w = ParseSnmpWalk(
      ".1.3.6.1.2.1.1.1.0 = STRING: \"Linux box\"\n"
      ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10\n"
      ".1.3.6.1.2.1.1.3.0 = Timeticks: (12345) 0:02:03.45\n"
      ".1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 1A 2B 3C 4D 5E \n"
      ".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: up(1)\n"
      ".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 10000000\n"
      ".1.3.6.1.2.1.2.2.1.10.1 = Counter32: 99\n"
      ".1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 18446744073709551615\n"
      ".1.3.6.1.2.1.4.20.1.1.10.0.0.1 = IpAddress: 10.0.0.1\n"
      ".1.3.6.1.2.1.1.4.0 = \"\"\n"
      ".1.3.6.1.2.1.1.9.0 = No Such Object available on this agent at this OID\n"
      ".1.3.6.1.2.1.1.7.0 = 72\n");
  ASSERT_TRUE(w.warnings.empty()) << w.warnings[0];
  ASSERT_EQ(w.varbinds.size(), 12u);
  EXPECT_EQ(w.varbinds[0].bytes, "Linux box");
  EXPECT_EQ(w.varbinds[1].oid_value, (Oid{1, 3, 6, 1, 4, 1, 8072, 3, 2, 10}));
  EXPECT_EQ(w.varbinds[2].type, ValueType::kTimeTicks);
  EXPECT_EQ(w.varbinds[2].number, 12345);
  EXPECT_EQ(w.varbinds[3].bytes, std::string("\x00\x1a\x2b\x3c\x4d\x5e", 6));
  EXPECT_EQ(w.varbinds[4].number, 1);
  EXPECT_EQ(w.varbinds[5].type, ValueType::kGauge32);
  EXPECT_EQ(static_cast<uint64_t>(w.varbinds[7].number), 18446744073709551615ULL);
  EXPECT_EQ(w.varbinds[8].bytes, std::string("\x0a\x00\x00\x01", 4));
  EXPECT_EQ(w.varbinds[9].type, ValueType::kOctetString);
  EXPECT_TRUE(w.varbinds[9].bytes.empty());
  EXPECT_EQ(w.varbinds[10].type, ValueType::kNoSuchObject);
  EXPECT_EQ(w.varbinds[11].number, 72);
}

TEST(SnmpWalkParser, JoinsQuotedStringsSpanningLines) {
  auto w = ParseSnmpWalk(
      ".1.3.6.1.2.1.1.1.0 = STRING: \"Cisco IOS Software\nTechnical Support\n"
      "Copyright \\\"c\\\"\"\n"
      ".1.3.6.1.2.1.1.5.0 = STRING: \"sw1\"\n");
  ASSERT_TRUE(w.warnings.empty());
  ASSERT_EQ(w.varbinds.size(), 2u);
  EXPECT_EQ(w.varbinds[0].bytes, "Cisco IOS Software\nTechnical Support\nCopyright \"c\"");
  EXPECT_EQ(w.varbinds[1].bytes, "sw1");
}

TEST(SnmpWalkParser, SkipsGarbageLinesNamingTheirLineNumber) {
  auto w = ParseSnmpWalk(
      ".1.3.6.1.2.1.1.5.0 = STRING: ok\n"
      "garbage\n"
      ".1.3.6.1.2.1.1.6.0 = Weird: thing\n"
      ".1.3.x = STRING: bad oid\n"
      ".1.3.6.1.2.1.1.4.0 = OID: not-an-oid\n");
  ASSERT_EQ(w.varbinds.size(), 1u);
  ASSERT_EQ(w.warnings.size(), 4u);
  EXPECT_EQ(w.warnings[0].rfind("line 2:", 0), 0u);
  EXPECT_NE(w.warnings[1].find("unknown value type 'Weird'"), std::string::npos);
  EXPECT_EQ(w.warnings[3].rfind("line 5:", 0), 0u);
}

TEST(SnmprecParser, ParsesTagsHexValuesAndRejectsBadLines) {
  auto w = ParseSnmprec(
      "1.3.6.1.2.1.1.1.0|4|Linux\n"
      "1.3.6.1.2.1.2.2.1.6.2|4x|001a2b3c4d5e\n"
      "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.634\n"
      "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n"
      "1.3.6.1.2.1.1.3.0|67|4242\n"
      "1.3.6.1.2.1.31.1.1.1.6.1|70|12345678901\n"
      "1.3.6.1.2.1.1.7.0|2|notanumber\n"
      "1.3.6.1.2.1.1.8.0|99|x\n"
      "no bars here\n");
  ASSERT_EQ(w.varbinds.size(), 6u);
  EXPECT_EQ(w.varbinds[1].bytes, std::string("\x00\x1a\x2b\x3c\x4d\x5e", 6));
  EXPECT_EQ(w.varbinds[2].oid_value, (Oid{1, 3, 6, 1, 4, 1, 9, 1, 634}));
  EXPECT_EQ(w.varbinds[3].bytes, std::string("\x0a\x00\x00\x01", 4));
  EXPECT_EQ(w.varbinds[4].type, ValueType::kTimeTicks);
  EXPECT_EQ(w.varbinds[5].number, 12345678901);
  EXPECT_EQ(w.warnings.size(), 3u);
}

TEST(SnmpWalkFile, RealLinuxWalkFromSnmpsimInventoriesTheHost) {
  std::vector<std::string> warnings;
  auto session =
      ReplaySession::FromWalkFile(kFixtures + "third_party/snmpsim/linux.snmpwalk", &warnings);
  ASSERT_TRUE(session.ok());
  // This real agent answered its VACM table out of order near the end of the
  // walk (it was taken with snmpwalk -Cc); the reader stops there.
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("OIDs not increasing at 1.3.6.1.6.3.16.1.5.2.1.6."),
            std::string::npos);
  const PluginRegistry plugins = MakeBuiltinPlugins();
  DeviceCollector collector("", "v2c", plugins, nullptr);
  auto d = CollectSync(collector, **session);
  EXPECT_EQ(d.sys_name(), "new system name");
  EXPECT_EQ(d.sys_object_id(), ".1.3.6.1.4.1.8072.3.2.10");
  EXPECT_EQ(d.sys_uptime_ticks(), 121722922u);
  EXPECT_EQ(d.type(), "server");
  EXPECT_EQ(d.firmware(), "2.6.37.6-smp");
  ASSERT_EQ(d.interfaces_size(), 2);
  EXPECT_EQ(d.interfaces(0).name(), "lo");
  EXPECT_EQ(d.interfaces(0).mtu(), 16436u);
  EXPECT_EQ(d.interfaces(1).name(), "eth0");
  EXPECT_EQ(d.interfaces(1).mac(), "00:12:79:62:f9:40");  // display-hinted "0:12:79:..."
  EXPECT_EQ(d.interfaces(1).oper_status(), "up");
  ASSERT_GT(d.addresses_size(), 0);
  for (const auto& a : d.addresses()) {
    EXPECT_NE(a.address(), "195.218.254.255") << "broadcast entries are not addresses";
  }
  EXPECT_EQ(d.addresses(1).address(), "195.218.254.105");
  EXPECT_EQ(d.addresses(1).prefix_length(), 24u);
  EXPECT_GT(d.storage_size(), 0);
  EXPECT_EQ(d.warnings_size(), 0);
}

TEST(SnmpWalkFile, HostileWalkIsInventoriedWithWarningsAndSanitizedStrings) {
  std::vector<std::string> warnings;
  auto session = ReplaySession::FromWalkFile(kFixtures + "snmp/hostile.walk", &warnings);
  ASSERT_TRUE(session.ok());
  // The garbage line and the backwards OID are reported by the file reader.
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("line 4"), std::string::npos);
  EXPECT_NE(warnings[1].find("OIDs not increasing at 1.3.6.1.2.1.4.22.1.2.1.10.0.0.7"),
            std::string::npos);
  const PluginRegistry plugins = MakeBuiltinPlugins();
  DeviceCollector collector("", "v2c", plugins, nullptr);
  auto d = CollectSync(collector, **session);
  EXPECT_EQ(d.sys_descr(), "Hostile agent, bad\"quote");
  EXPECT_EQ(d.sys_name(), "name\xEF\xBF\xBD\xEF\xBF\xBD");  // FF FE -> U+FFFD, NUL dropped
  ASSERT_EQ(d.interfaces_size(), 3);
  EXPECT_EQ(d.interfaces(0).descr(), "eth0");
  EXPECT_EQ(d.interfaces(0).speed(), 0u);  // "fast" is not a number
  EXPECT_EQ(d.interfaces(1).descr(), "");  // INTEGER where a string belongs
  EXPECT_EQ(d.interfaces(2).oper_status(), "down");
  ASSERT_EQ(d.arp_size(), 1);  // 10.0.0.9's 5-byte MAC is not a MAC
  EXPECT_EQ(d.arp(0).ip(), "10.0.0.5");
  EXPECT_EQ(d.software_size(), 0);  // after the loop: ignored
  int wrong_type = 0;
  for (const auto& w : d.warnings()) wrong_type += w.find("wrong type") != std::string::npos;
  EXPECT_EQ(wrong_type, 2);
}

}  // namespace
}  // namespace estate::plugins::snmp
