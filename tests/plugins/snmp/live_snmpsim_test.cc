// The engine against snmpsim serving LibreNMS's recordings of real devices
// on 127.0.0.1 (community = recording name, "NAME@VLAN" = VLAN context).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/snmp_engine.h"
#include "tests/plugins/snmp/snmpd_harness.h"

namespace estate::plugins::snmp {
namespace {

const std::string kDir = ESTATE_SOURCE_DIR "/tests/fixtures/third_party/librenms";

class LiveSnmpsim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(kDir)) {
      if (e.path().extension() == ".snmprec") files.push_back(e.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    sim_ = new testing::Snmpsim();
    error_ = new std::string(sim_->Start(kDir, files));
  }
  static void TearDownTestSuite() {
    delete sim_;
    delete error_;
  }
  void SetUp() override {
    if (!error_->empty()) GTEST_SKIP() << "needs snmpsim: " << *error_;
  }
  static const PluginRegistry& Plugins() {
    static const PluginRegistry plugins = MakeBuiltinPlugins();
    return plugins;
  }
  static v1::NetworkDevice Live(const std::string& name) {
    EngineOptions o;
    o.credentials.communities = {name};
    o.transport.port = sim_->port();
    o.transport.timeout_ms = 3000;
    o.transport.retries = 1;
    SnmpEngine engine(o, Plugins(), nullptr);
    return engine.RunAll({"127.0.0.1"})[0];
  }
  static v1::NetworkDevice Replayed(const std::string& name) {
    std::vector<std::string> warnings;
    auto session = ReplaySession::FromSnmprecFile(kDir + "/" + name + ".snmprec", &warnings);
    DeviceCollector c("127.0.0.1", "v2c", Plugins(), nullptr);
    return CollectSync(c, **session);
  }
  static testing::Snmpsim* sim_;
  static std::string* error_;
};
testing::Snmpsim* LiveSnmpsim::sim_ = nullptr;
std::string* LiveSnmpsim::error_ = nullptr;

TEST_F(LiveSnmpsim, CiscoCatalystIsIdentifiedExactlyAsLibrenmsRecordedIt) {
  auto d = Live("ios_c3560");
  EXPECT_EQ(d.vendor(), "Cisco");
  EXPECT_EQ(d.type(), "switch");
  EXPECT_EQ(d.model(), "WS-C3560-48TS-S");
  EXPECT_EQ(d.serial(), "CAT0912N0CU");
  EXPECT_EQ(d.firmware(), "12.2(55)SE12");
  EXPECT_EQ(d.interfaces_size(), 58);
  // Every VLAN context (community ios_c3560@VLAN) answered.
  for (const auto& w : d.warnings()) ADD_FAILURE() << w;
}

TEST_F(LiveSnmpsim, TplinkForwardingTableAndMacsMatchTheRecording) {
  auto d = Live("tplink_sg2008");
  EXPECT_EQ(d.vendor(), "TP-Link");
  EXPECT_EQ(d.model(), "TL-SG2008 1.0");
  ASSERT_EQ(d.fdb_size(), 46);
  ASSERT_GT(d.interfaces_size(), 0);
  EXPECT_EQ(d.interfaces(0).mac(), "18:a6:f7:56:20:3f");
  std::set<std::string> fdb;
  for (const auto& e : d.fdb())
    fdb.insert(e.mac() + "/" + std::to_string(e.vlan()) + "/" + std::to_string(e.port()));
  EXPECT_TRUE(fdb.count("00:00:0c:07:ac:00/10/1"));
}

TEST_F(LiveSnmpsim, EveryRecordingGivesTheSameInventoryLiveAsReplayed) {
  for (const char* name : {"procurve_e2910", "routeros_rb750gr3", "jetdirect_m252dw",
                           "apc_smt750x-nmc2", "fortigate_60f", "drac_idrac7", "dsm_ds214se-dsm7",
                           "unifi_unifi", "airos_airos8", "linux", "windows"}) {
    SCOPED_TRACE(name);
    auto live = Live(name);
    auto replayed = Replayed(name);
    live.clear_scanned_at();
    replayed.clear_scanned_at();
    EXPECT_EQ(live.SerializeAsString(), replayed.SerializeAsString())
        << "live " << live.ShortDebugString().substr(0, 400) << "\nreplay "
        << replayed.ShortDebugString().substr(0, 400);
  }
}

}  // namespace
}  // namespace estate::plugins::snmp
