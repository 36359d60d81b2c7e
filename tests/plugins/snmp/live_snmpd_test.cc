// The engine against a real snmpd on 127.0.0.1 (started here with its own
// config), compared with what net-snmp's own snmpbulkwalk reads from it.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/snmp_engine.h"
#include "plugins/snmp/walk_parser.h"
#include "tests/plugins/snmp/snmpd_harness.h"

namespace estate::plugins::snmp {
namespace {

using testing::kAuthPassword;
using testing::kCommunity;
using testing::kPrivPassword;

class LiveSnmpd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snmpd_ = new testing::Snmpd();
    error_ = new std::string(snmpd_->Start());
  }
  static void TearDownTestSuite() {
    delete snmpd_;
    delete error_;
  }
  void SetUp() override {
    if (!error_->empty()) GTEST_SKIP() << "needs a real snmpd: " << *error_;
  }

  static EngineOptions Options() {
    EngineOptions o;
    o.credentials.communities = {kCommunity};
    o.transport.port = snmpd_->port();
    o.transport.timeout_ms = 500;
    o.transport.retries = 1;
    return o;
  }
  static std::vector<v1::NetworkDevice> Scan(const EngineOptions& o,
                                             const std::vector<std::string>& addrs) {
    static const PluginRegistry plugins = MakeBuiltinPlugins();
    static auto enterprises = EnterpriseRegistry::Load(kDefaultEnterprisesPath);
    SnmpEngine engine(o, plugins, enterprises.ok() ? &*enterprises : nullptr);
    return engine.RunAll(addrs);
  }
  // What snmpbulkwalk reads from the same agent.
  static ParsedWalk Walk(const std::string& root) {
    auto text = testing::RunCommand({"/usr/bin/snmpbulkwalk", "-v2c", "-c", kCommunity, "-On",
                                     "-Cr25", "127.0.0.1:" + std::to_string(snmpd_->port()), root});
    return ParseSnmpWalk(text);
  }

  static testing::Snmpd* snmpd_;
  static std::string* error_;
};
testing::Snmpd* LiveSnmpd::snmpd_ = nullptr;
std::string* LiveSnmpd::error_ = nullptr;

TEST_F(LiveSnmpd, IdentifiesTheAgentOverV2c) {
  auto devices = Scan(Options(), {"127.0.0.1"});
  ASSERT_EQ(devices.size(), 1u);
  const auto& d = devices[0];
  EXPECT_EQ(d.ip(), "127.0.0.1");
  EXPECT_EQ(d.snmp_version(), "v2c");
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  EXPECT_EQ(d.sys_location(), "Estate test lab");
  EXPECT_EQ(d.sys_contact(), "estate@example.org");
  EXPECT_EQ(d.sys_object_id(), ".1.3.6.1.4.1.8072.3.2.10");
  EXPECT_EQ(d.enterprise(), 8072u);
  EXPECT_EQ(d.type(), "server");
  EXPECT_GT(d.sys_uptime_ticks(), 0u);
  EXPECT_TRUE(d.sys_descr().starts_with("Linux ")) << d.sys_descr();
  EXPECT_EQ(d.warnings_size(), 0) << d.warnings(0);
}

TEST_F(LiveSnmpd, InterfacesEqualWhatSnmpbulkwalkReads) {
  auto walk = Walk("1.3.6.1.2.1.2.2.1.2");  // ifDescr
  ASSERT_FALSE(walk.varbinds.empty());
  std::map<uint32_t, std::string> expected;
  for (const auto& vb : walk.varbinds) expected[vb.oid.arcs().back()] = vb.bytes;
  auto d = Scan(Options(), {"127.0.0.1"})[0];
  std::map<uint32_t, std::string> ours;
  for (const auto& i : d.interfaces()) ours[i.index()] = i.descr();
  EXPECT_EQ(ours, expected);
  for (const auto& i : d.interfaces()) {
    if (i.descr() == "lo") {
      EXPECT_EQ(i.oper_status(), "up");
      EXPECT_EQ(i.type(), 24u);  // softwareLoopback
    }
  }
}

TEST_F(LiveSnmpd, SoftwareListEqualsWhatSnmpdPublishes) {
  auto walk = Walk("1.3.6.1.2.1.25.6.3.1.2");  // hrSWInstalledName
  std::multiset<std::string> expected;
  for (const auto& vb : walk.varbinds) expected.insert(vb.bytes);
  ASSERT_FALSE(expected.empty());
  auto d = Scan(Options(), {"127.0.0.1"})[0];
  std::multiset<std::string> ours;
  for (const auto& s : d.software()) ours.insert(s.name());
  EXPECT_EQ(ours, expected);
}

TEST_F(LiveSnmpd, V3AuthNoPrivWithShaIdentifies) {
  EngineOptions o = Options();
  o.credentials.version = "v3";
  o.credentials.user = testing::kAuthUser;
  o.credentials.auth_protocol = "SHA";
  o.credentials.auth_password = kAuthPassword;
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  EXPECT_EQ(d.snmp_version(), "v3");
  EXPECT_GT(d.interfaces_size(), 0);
}

TEST_F(LiveSnmpd, V3AuthPrivWithSha256AndAesIdentifies) {
  EngineOptions o = Options();
  o.credentials.version = "v3";
  o.credentials.user = testing::kPrivUser;
  o.credentials.auth_protocol = "SHA-256";
  o.credentials.auth_password = kAuthPassword;
  o.credentials.priv_protocol = "AES";
  o.credentials.priv_password = kPrivPassword;
  ASSERT_TRUE(o.credentials.Validate().ok());
  EXPECT_EQ(o.credentials.EffectiveLevel(), "authPriv");
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  EXPECT_GT(d.software_size(), 0);
}

TEST_F(LiveSnmpd, V3WithAWrongPasswordIsAWarningNotACrash) {
  // net-snmp keeps USM keys per (engine ID, user) for the process: a fresh
  // agent (new engine ID) makes sure the wrong key is the one used.
  testing::Snmpd fresh;
  ASSERT_EQ(fresh.Start(), "");
  EngineOptions o = Options();
  o.transport.port = fresh.port();
  o.transport.timeout_ms = 300;
  o.transport.retries = 0;
  o.credentials.version = "v3";
  o.credentials.user = testing::kPrivUser;
  o.credentials.auth_protocol = "SHA-256";
  o.credentials.auth_password = "not-the-password";
  o.credentials.priv_password = kPrivPassword;
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_TRUE(d.sys_name().empty());
  ASSERT_GT(d.warnings_size(), 0);
}

TEST_F(LiveSnmpd, CommunitiesAreTriedInOrderUntilOneAnswers) {
  EngineOptions o = Options();
  o.credentials.communities = {"wrong-one", "wrong-two", kCommunity};
  o.transport.timeout_ms = 200;
  o.transport.retries = 0;
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  EXPECT_EQ(d.warnings_size(), 0);
}

TEST_F(LiveSnmpd, V1WalksWithGetNext) {
  EngineOptions o = Options();
  o.credentials.version = "v1";
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  EXPECT_EQ(d.snmp_version(), "v1");
  EXPECT_GT(d.interfaces_size(), 0);
}

TEST_F(LiveSnmpd, ASilentDeviceGetsAWarningAndTheOthersComplete) {
  EngineOptions o = Options();
  o.transport.timeout_ms = 200;
  o.transport.retries = 0;
  // snmpd listens on 127.0.0.1 only; 127.0.0.2 is loopback but silent.
  auto devices = Scan(o, {"127.0.0.2", "127.0.0.1", "127.0.0.2"});
  ASSERT_EQ(devices.size(), 3u);
  EXPECT_EQ(devices[1].sys_name(), testing::kSysName);
  for (int i : {0, 2}) {
    EXPECT_EQ(devices[i].ip(), "127.0.0.2");
    ASSERT_EQ(devices[i].warnings_size(), 1);
    EXPECT_NE(devices[i].warnings(0).find("no SNMP answer"), std::string::npos);
  }
}

TEST_F(LiveSnmpd, ManyDevicesInFlightGiveIdenticalInventories) {
  EngineOptions o = Options();
  o.concurrency = 20;
  std::vector<std::string> addrs(40, "127.0.0.1");
  auto devices = Scan(o, addrs);
  ASSERT_EQ(devices.size(), 40u);
  for (const auto& d : devices) {
    EXPECT_EQ(d.sys_name(), testing::kSysName);
    EXPECT_EQ(d.interfaces_size(), devices[0].interfaces_size());
    EXPECT_EQ(d.software_size(), devices[0].software_size());
    EXPECT_EQ(d.warnings_size(), 0);
  }
}

TEST_F(LiveSnmpd, ATimeoutMidWalkKeepsWhatWasReadAndWarns) {
  // The relay passes 5 answers, then the "device" goes silent.
  testing::UdpRelay relay(snmpd_->port(), std::chrono::microseconds(0), 5);
  EngineOptions o = Options();
  o.transport.port = relay.port();
  o.transport.timeout_ms = 200;
  o.transport.retries = 0;
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  ASSERT_EQ(d.warnings_size(), 1);
  EXPECT_NE(d.warnings(0).find("no answer walking"), std::string::npos) << d.warnings(0);
  EXPECT_NE(d.warnings(0).find("remaining subtrees skipped"), std::string::npos);
}

TEST_F(LiveSnmpd, OidCapStopsAHugeDeviceWithAWarning) {
  EngineOptions o = Options();
  o.limits.max_oids = 30;
  auto d = Scan(o, {"127.0.0.1"})[0];
  EXPECT_EQ(d.sys_name(), testing::kSysName);
  ASSERT_GT(d.warnings_size(), 0);
  EXPECT_NE(d.warnings(d.warnings_size() - 1).find("OID cap of 30"), std::string::npos);
}

}  // namespace
}  // namespace estate::plugins::snmp
