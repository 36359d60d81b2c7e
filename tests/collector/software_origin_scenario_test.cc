// Software origin and the software policy against a real estated: the facts
// the real agent collects from the deb-origins fixture host (Debian archive,
// a superseded point release, a third-party apt source, a local .deb),
// reported over the real protocol on loopback; estatectl reads the outcome.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "estate/collector_client.h"
#include "estate/v1/frame.pb.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/local_collector.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::Daemon;
using testing::RunCommand;
using testing::WaitFor;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kAgent = kBin + "/agent/estate-agent";
const std::string kRoot = std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/roots/deb-origins";

class SoftwareOrigin : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = collector_.port();
    socket_ = collector_.socket();
    log_ = collector_.log();
    ASSERT_TRUE(collector_.Start()) << testing::ReadTextFile(log_);
    CommandResult inventory = RunCommand({kAgent, "inventory", "--json", "--root", kRoot});
    ASSERT_EQ(inventory.exit_code, 0) << inventory.err;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(inventory.out, &facts_, options).ok());
  }

  CommandResult Ctl(std::vector<std::string> args) { return collector_.Ctl(std::move(args)); }

  nlohmann::json CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  // A full report from host `n` (its own machine id and name); its asset id.
  std::string Report(int n, const v1::HostFacts& facts) {
    v1::HostFacts host = facts;
    host.set_hostname("deb-" + std::to_string(n));
    host.set_machine_id("0f0e0d0c0b0a0908070605040302010" + std::to_string(n));
    v1::Frame frame;
    frame.mutable_full_report()->set_sequence(++sequence_[n]);
    *frame.mutable_full_report()->mutable_facts() = host;
    CollectorClientOptions options;
    options.collector = Endpoint{"127.0.0.1", port_};
    options.kind = v1::PEER_KIND_AGENT;
    options.node_id = "node-" + std::to_string(n);
    options.hostname = host.hostname();
    options.tls.insecure_plaintext = true;
    CollectorClient client(options);
    EXPECT_TRUE(client.Connect().ok());
    auto answer = client.Call(std::move(frame));
    EXPECT_TRUE(answer.ok() && answer->has_ack());
    return answer.ok() ? answer->ack().asset_id() : "";
  }

  // name -> verdict of what `shadow --software` lists.
  std::map<std::string, std::string> Shadow() {
    std::map<std::string, std::string> out;
    const nlohmann::json answer1 = CtlJson({"shadow", "--software"});
    for (const auto& s : answer1.at("software")) {
      out[s.at("name")] = s.at("verdict");
    }
    return out;
  }

  std::vector<nlohmann::json> Events(const std::string& kind) {
    std::vector<nlohmann::json> out;
    const nlohmann::json answer2 = CtlJson({"events", "--kind", kind});
    for (const auto& e : answer2.at("events")) out.push_back(e);
    return out;
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::string socket_, log_;
  testing::LocalCollector collector_{kBin, dir_.path()};
  v1::HostFacts facts_;
  std::map<int, uint64_t> sequence_;
};

TEST_F(SoftwareOrigin, TheDefaultPolicyApprovesTheDistributionsArchiveOnly) {
  Report(1, facts_);
  // Debian's packages (the superseded libssl3 too) are no shadow software.
  const std::map<std::string, std::string> expected = {{"google-chrome-stable", "unknown"},
                                                       {"site-agent-tools", "unknown"}};
  EXPECT_EQ(Shadow(), expected);
  bool listed = false;
  const nlohmann::json answer3 = CtlJson({"policy"});
  for (const auto& r : answer3.at("rules")) {
    listed |= r.at("id") == "default-distribution" && r.at("origin") == "@distribution";
  }
  EXPECT_TRUE(listed) << "estatectl policy shows the shipped default rule";
}

TEST_F(SoftwareOrigin, ApproveOriginApprovesWhatThatSourceCarries) {
  Report(1, facts_);
  const nlohmann::json rule = CtlJson({"approve", "origin", "Google LLC"});
  EXPECT_EQ(rule.at("installs_matching"), 1);
  const std::map<std::string, std::string> expected = {{"site-agent-tools", "unknown"}};
  EXPECT_EQ(Shadow(), expected);
  // By suite: the local package is its own origin.
  CtlJson({"approve", "origin", "local", "--verdict", "unapproved"});
  EXPECT_EQ(Shadow().at("site-agent-tools"), "unapproved");
}

TEST_F(SoftwareOrigin, ARuleNamingThePackageBeatsAPublisherRule) {
  Report(1, facts_);
  CtlJson({"approve", "software", "*", "--publisher", "*@*debian.org*"});
  const nlohmann::json netcat =
      CtlJson({"approve", "software", "netcat*", "--verdict", "prohibited"});
  EXPECT_EQ(Shadow().at("netcat-traditional"), "prohibited");
  EXPECT_NE(CtlJson({"policy"}).at("order").get<std::string>().find("naming the package"),
            std::string::npos);

  // --explain names the deciding rule.
  const nlohmann::json explained =
      CtlJson({"shadow", "--software", "--explain", "netcat-traditional"});
  ASSERT_EQ(explained.at("explain").size(), 1u);
  EXPECT_EQ(explained.at("explain")[0].at("verdict"), "prohibited");
  EXPECT_EQ(explained.at("explain")[0].at("rule").at("id"), netcat.at("id"));
  const nlohmann::json bash = CtlJson({"shadow", "--explain", "bash"});
  EXPECT_EQ(bash.at("explain")[0].at("verdict"), "approved");
  EXPECT_EQ(bash.at("explain")[0].at("origins"), nlohmann::json({"Debian/bookworm"}));
  EXPECT_TRUE(bash.at("explain")[0].contains("rule"));
  EXPECT_FALSE(Ctl({"shadow", "--explain", "no-such-package"}).exit_code == 0);
}

TEST_F(SoftwareOrigin, ProhibitingInstalledSoftwareIsOneCriticalEventAndAFindingPerHost) {
  const std::string a1 = Report(1, facts_);
  const std::string a2 = Report(2, facts_);
  v1::HostFacts without = facts_;
  for (int i = 0; i < without.software_size(); ++i) {
    if (without.software(i).name() == "netcat-traditional") {
      without.mutable_software()->DeleteSubrange(i, 1);
      break;
    }
  }
  const std::string a3 = Report(3, without);
  ASSERT_EQ(std::set<std::string>({a1, a2, a3}).size(), 3u);
  const size_t events_before = Events("policy_changed").size();

  const nlohmann::json rule =
      CtlJson({"approve", "software", "netcat-traditional", "--verdict", "prohibited"});
  EXPECT_EQ(rule.at("hosts_newly_prohibited"), 2);

  const auto changed = Events("policy_changed");
  ASSERT_EQ(changed.size(), events_before + 1) << "one event per rule change";
  EXPECT_EQ(changed.back().at("severity"), "critical");
  std::set<std::string> in_event;
  for (const auto& c : changed.back().at("changes"))
    in_event.insert(c.at("field").get<std::string>());
  EXPECT_EQ(in_event, (std::set<std::string>{a1, a2}));

  std::map<std::string, std::string> critical;  // asset -> fact
  const nlohmann::json answer4 = CtlJson({"drift", "--min-severity", "critical"});
  for (const auto& d : answer4.at("drift")) {
    critical[d.at("asset_id")] = d.at("fact");
  }
  EXPECT_EQ(critical, (std::map<std::string, std::string>{{a1, "software.netcat-traditional"},
                                                          {a2, "software.netcat-traditional"}}));
  std::set<std::string> hosts;
  const nlohmann::json answer5 = CtlJson({"shadow", "--software", "--hosts"});
  for (const auto& s : answer5.at("software")) {
    if (s.at("name") == "netcat-traditional") {
      for (const auto& a : s.at("assets")) hosts.insert(a.get<std::string>());
    }
  }
  EXPECT_EQ(hosts, (std::set<std::string>{a1, a2}));

  // The same rule again changes nothing: no second critical event.
  const nlohmann::json again =
      CtlJson({"approve", "software", "netcat-*", "--verdict", "prohibited"});
  EXPECT_EQ(again.at("hosts_newly_prohibited"), 0);
  EXPECT_EQ(Events("policy_changed").back().at("severity"), "info");

  // Removing the package closes that host's finding.
  Report(1, without);
  critical.clear();
  const nlohmann::json answer6 = CtlJson({"drift", "--min-severity", "critical"});
  for (const auto& d : answer6.at("drift")) {
    critical[d.at("asset_id")] = d.at("fact");
  }
  EXPECT_EQ(critical, (std::map<std::string, std::string>{{a2, "software.netcat-traditional"}}));
}

}  // namespace
}  // namespace estate
