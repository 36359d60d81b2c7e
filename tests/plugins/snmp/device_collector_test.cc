// DeviceCollector against replayed agents, with a forwarding session that
// breaks single answers the way lying devices do.
#include "plugins/snmp/device_collector.h"

#include <gtest/gtest.h>

#include "plugins/snmp/observations.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/walk_parser.h"

namespace estate::plugins::snmp {
namespace {

const char* kSmallAgent =
    "1.3.6.1.2.1.1.1.0|4|Linux test 6.1.0 #1 SMP x86_64\n"
    "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10\n"
    "1.3.6.1.2.1.1.5.0|4|small\n"
    "1.3.6.1.2.1.2.2.1.2.1|4|lo\n"
    "1.3.6.1.2.1.2.2.1.2.2|4|eth0\n"
    "1.3.6.1.2.1.2.2.1.2.3|4|eth1\n"
    "1.3.6.1.2.1.2.2.1.6.2|4x|525400123456\n"
    "1.3.6.1.2.1.2.2.1.8.1|2|1\n"
    "1.3.6.1.2.1.2.2.1.8.2|2|1\n"
    "1.3.6.1.2.1.4.22.1.2.2.192.168.1.7|4x|001122334455\n"
    "1.3.6.1.2.1.4.22.1.2.2.192.168.1.9|4x|001122334499\n"
    "1.3.6.1.2.1.25.6.3.1.2.1|4|bash_5.2\n"
    "1.3.6.1.2.1.25.6.3.1.2.2|4|coreutils_9.1\n";

std::unique_ptr<ReplaySession> Agent(const std::string& snmprec = kSmallAgent,
                                     const std::string& version = "v2c") {
  return std::make_unique<ReplaySession>(ParseSnmprec(snmprec).varbinds, version);
}

// Forwards to a real session; `tamper` may rewrite the answer to request N (1-based).
class TamperingSession : public SnmpSession {
 public:
  using Tamper = std::function<void(int n, const SnmpRequest&, Result<SnmpResponse>*)>;
  TamperingSession(SnmpSession& inner, Tamper tamper) : inner_(inner), tamper_(std::move(tamper)) {}
  void Send(const SnmpRequest& request, Callback done) override {
    ++count_;
    requests_.push_back(request);
    inner_.Send(request, [&](Result<SnmpResponse> r) {
      tamper_(count_, request, &r);
      done(std::move(r));
    });
  }
  std::string Version() const override { return inner_.Version(); }
  std::vector<SnmpRequest> requests_;

 private:
  SnmpSession& inner_;
  Tamper tamper_;
  int count_ = 0;
};

bool Contains(const v1::NetworkDevice& d, const std::string& text) {
  for (const auto& w : d.warnings()) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

const PluginRegistry& Plugins() {
  static const PluginRegistry plugins = MakeBuiltinPlugins();
  return plugins;
}

TEST(DeviceCollector, InventoriesACleanAgentWithoutWarnings) {
  auto agent = Agent();
  DeviceCollector c("10.1.1.1", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, *agent);
  EXPECT_EQ(d.ip(), "10.1.1.1");
  EXPECT_EQ(d.sys_name(), "small");
  ASSERT_EQ(d.interfaces_size(), 3);
  EXPECT_EQ(d.interfaces(1).mac(), "52:54:00:12:34:56");
  ASSERT_EQ(d.arp_size(), 2);
  ASSERT_EQ(d.software_size(), 2);
  EXPECT_EQ(d.software(1).name(), "coreutils_9.1");
  EXPECT_EQ(d.warnings_size(), 0);
}

TEST(DeviceCollector, UsesGetBulkForV2cAndGetNextForV1) {
  for (const std::string version : {"v2c", "v1"}) {
    auto agent = Agent(kSmallAgent, version);
    TamperingSession s(*agent, [](int, const SnmpRequest&, Result<SnmpResponse>*) {});
    DeviceCollector c("", version, Plugins(), nullptr);
    auto d = CollectSync(c, s);
    EXPECT_EQ(d.interfaces_size(), 3) << version;
    ASSERT_GT(s.requests_.size(), 1u);
    EXPECT_EQ(s.requests_[0].kind, SnmpRequest::Kind::kGet);
    EXPECT_EQ(s.requests_[1].kind,
              version == "v1" ? SnmpRequest::Kind::kGetNext : SnmpRequest::Kind::kGetBulk);
  }
}

TEST(DeviceCollector, StopsAWalkAtAnOidThatDoesNotIncreaseAndContinuesWithTheNext) {
  auto agent = Agent();
  // Every answer inside ifDescr is turned into a loop back to its start.
  TamperingSession s(*agent, [](int, const SnmpRequest& rq, Result<SnmpResponse>* r) {
    if (!r->ok() || !rq.oids[0].StartsWith(Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 2})) return;
    if (rq.oids[0] == Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 2}) return;  // first page is fine
    for (auto& vb : (*r)->varbinds) vb.oid = Oid{1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 1};
  });
  CollectLimits limits;
  limits.max_repetitions = 2;
  DeviceCollector c("", "v2c", Plugins(), nullptr, limits);
  auto d = CollectSync(c, s);
  EXPECT_TRUE(Contains(d, "OID not increasing walking 1.3.6.1.2.1.2.2.1.2"));
  EXPECT_EQ(d.software_size(), 2);  // later subtrees still walked
}

TEST(DeviceCollector, ATimeoutMidWalkKeepsWhatWasReadAndSkipsTheRest) {
  auto agent = Agent();
  TamperingSession s(*agent, [](int n, const SnmpRequest&, Result<SnmpResponse>* r) {
    if (n >= 6) *r = Status::Unavailable("no answer (timeout)");
  });
  DeviceCollector c("", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, s);
  EXPECT_EQ(d.sys_name(), "small");
  EXPECT_EQ(d.interfaces_size(), 3);
  EXPECT_EQ(d.software_size(), 0);
  ASSERT_EQ(d.warnings_size(), 1);
  EXPECT_TRUE(Contains(d, "remaining subtrees skipped"));
  EXPECT_EQ(s.requests_.size(), 6u);  // nothing sent after the timeout
}

TEST(DeviceCollector, NoAnswerAtAllIsOneWarning) {
  auto agent = Agent();
  TamperingSession s(*agent, [](int, const SnmpRequest&, Result<SnmpResponse>* r) {
    *r = Status::Unavailable("no answer (timeout)");
  });
  DeviceCollector c("192.0.2.9", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, s);
  EXPECT_FALSE(c.identified());
  EXPECT_EQ(d.ip(), "192.0.2.9");
  ASSERT_EQ(d.warnings_size(), 1);
  EXPECT_TRUE(Contains(d, "no SNMP answer"));
}

TEST(DeviceCollector, WrongTypesAreIgnoredWithOneWarningPerColumn) {
  auto agent = Agent(
      "1.3.6.1.2.1.1.2.0|4|not an oid\n"
      "1.3.6.1.2.1.1.5.0|2|42\n"
      "1.3.6.1.2.1.2.2.1.2.1|2|1\n"
      "1.3.6.1.2.1.2.2.1.2.2|2|2\n"
      "1.3.6.1.2.1.2.2.1.5.1|4|fast\n");
  DeviceCollector c("", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, *agent);
  EXPECT_EQ(d.sys_object_id(), "");
  EXPECT_EQ(d.sys_name(), "");
  EXPECT_EQ(d.interfaces_size(), 2);
  EXPECT_TRUE(Contains(d, "wrong type at 1.3.6.1.2.1.1.2.0"));
  EXPECT_TRUE(Contains(d, "wrong type at 1.3.6.1.2.1.1.5.0"));
  EXPECT_TRUE(Contains(d, "wrong type at 1.3.6.1.2.1.2.2.1.2.1"));
  EXPECT_FALSE(Contains(d, "wrong type at 1.3.6.1.2.1.2.2.1.2.2"));  // once per column
  EXPECT_TRUE(Contains(d, "wrong type at 1.3.6.1.2.1.2.2.1.5.1"));
}

TEST(DeviceCollector, NonUtf8StringsAreSanitized) {
  auto agent = Agent(
      "1.3.6.1.2.1.1.1.0|4x|4c696e7578ff20c3a9\n"  // "Linux\xff é"
      "1.3.6.1.2.1.1.5.0|4x|7377016100\n");        // "sw\x01a\0"
  DeviceCollector c("", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, *agent);
  EXPECT_EQ(d.sys_descr(), "Linux\xEF\xBF\xBD \xC3\xA9");
  EXPECT_EQ(d.sys_name(), "sw a");
}

TEST(DeviceCollector, TruncatedTablesMapTheCellsThatArePresent) {
  auto agent = Agent(
      "1.3.6.1.2.1.2.2.1.2.1|4|eth0\n"
      "1.3.6.1.2.1.2.2.1.8.2|2|2\n"                // a row with only ifOperStatus
      "1.3.6.1.2.1.4.22.1.2.5.10.0.0\n"            // cut mid-line
      "1.3.6.1.2.1.17.7.1.2.2.1.2.1.0.17|2|3\n");  // FDB index cut short
  DeviceCollector c("", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, *agent);
  ASSERT_EQ(d.interfaces_size(), 2);
  EXPECT_EQ(d.interfaces(0).name(), "eth0");
  EXPECT_EQ(d.interfaces(1).oper_status(), "down");
  EXPECT_EQ(d.arp_size(), 0);
  EXPECT_EQ(d.fdb_size(), 0);
}

TEST(DeviceCollector, OidCapStopsTheDeviceWithAWarning) {
  auto agent = Agent();
  CollectLimits limits;
  limits.max_oids = 6;
  DeviceCollector c("", "v2c", Plugins(), nullptr, limits);
  auto d = CollectSync(c, *agent);
  EXPECT_TRUE(Contains(d, "OID cap of 6 values reached"));
  EXPECT_EQ(d.software_size(), 0);
}

TEST(DeviceCollector, TimeCapStopsTheDeviceWithAWarning) {
  auto agent = Agent();
  auto now = std::chrono::steady_clock::time_point{};
  CollectLimits limits;
  limits.max_time = std::chrono::milliseconds(1000);
  limits.now = [&now] { return now += std::chrono::milliseconds(100); };  // each look: 100 ms
  DeviceCollector c("", "v2c", Plugins(), nullptr, limits);
  auto d = CollectSync(c, *agent);
  EXPECT_TRUE(Contains(d, "time cap of 1000 ms reached"));
  EXPECT_EQ(d.sys_name(), "small");
}

TEST(DeviceCollector, TooBigAnswersHalveTheBulkSize) {
  auto agent = Agent();
  TamperingSession s(*agent, [](int, const SnmpRequest& rq, Result<SnmpResponse>* r) {
    if (rq.kind == SnmpRequest::Kind::kGetBulk && rq.max_repetitions > 4) {
      SnmpResponse too_big;
      too_big.error_status = 1;
      *r = too_big;
    }
  });
  DeviceCollector c("", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, s);
  EXPECT_EQ(d.interfaces_size(), 3);
  EXPECT_EQ(d.software_size(), 2);
  EXPECT_EQ(d.warnings_size(), 0);
}

TEST(DeviceCollector, V1AgentsThatRejectTheIdentificationGetAreWalkedInstead) {
  auto agent = Agent(kSmallAgent, "v1");
  TamperingSession s(*agent, [](int n, const SnmpRequest&, Result<SnmpResponse>* r) {
    if (n == 1) {  // sysContact is missing: v1 fails the whole GET with noSuchName
      SnmpResponse err;
      err.error_status = 2;
      err.error_index = 4;
      *r = err;
    }
  });
  DeviceCollector c("", "v1", Plugins(), nullptr);
  auto d = CollectSync(c, s);
  EXPECT_EQ(d.sys_name(), "small");
  EXPECT_EQ(d.type(), "server");
  EXPECT_EQ(d.software_size(), 2);
}

TEST(DeviceObservations, ArpEntriesBecomeObservationsOfOtherHosts) {
  auto agent = Agent();
  DeviceCollector c("10.1.1.1", "v2c", Plugins(), nullptr);
  auto d = CollectSync(c, *agent);
  auto obs = DeviceObservations(d);
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0].source(), v1::OBSERVATION_SOURCE_SNMP_ARP_TABLE);
  EXPECT_EQ(obs[0].ip(), "192.168.1.7");
  EXPECT_EQ(obs[0].mac(), "00:11:22:33:44:55");
  EXPECT_EQ(obs[0].reporter(), "small");
  EXPECT_EQ(obs[0].interface(), "eth0");
}

}  // namespace
}  // namespace estate::plugins::snmp
