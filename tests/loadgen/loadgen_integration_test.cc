// estate-loadgen against a real estated on a temporary directory and a free
// loopback port, briefly in each mode: no errors but backpressure, reports
// acknowledged, a parseable JSON summary, and the collector holding exactly one
// asset per simulated agent.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/collector/temp_dir.h"
#include "tests/loadgen/package_pool.h"
#include "tests/loadgen/simulated_fleet.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::Daemon;
using testing::RunCommand;
using testing::WaitFor;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstated = kBin + "/collector/estated";
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kLoadgen = kBin + "/tests/loadgen/estate-loadgen";
constexpr int kAgents = 200;

nlohmann::json ParseJson(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

class LoadgenAgainstEstated : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreeLoopbackPort();
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
  }

  // `config`: estated settings file lines (key = value). The collector runs as
  // in production: TLS with a site CA from `estatectl pki init`, enrollment.
  void StartCollector(std::string config = "") {
    pki_ = dir_.path() + "/pki";
    if (::access((pki_ + "/ca.pem").c_str(), F_OK) != 0) {
      CommandResult pki = RunCommand({kEstatectl, "pki", "init", pki_, "--ip", "127.0.0.1"});
      ASSERT_EQ(pki.exit_code, 0) << pki.err;
    }
    // Simulated agents report far more often than real ones: no per-node rate.
    config += "report_rate_per_minute = 0\n";
    std::vector<std::string> args = {kEstated,
                                     "--tls-cert",
                                     pki_ + "/collector.pem",
                                     "--tls-key",
                                     pki_ + "/collector-key.pem",
                                     "--enroll-secret-file",
                                     pki_ + "/enroll-secret",
                                     "--data-dir",
                                     dir_.path() + "/data",
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--admin-socket",
                                     socket_,
                                     "--log-level",
                                     "warn"};
    {
      const std::string path = dir_.path() + "/estated.conf";
      FILE* f = std::fopen(path.c_str(), "w");
      ASSERT_NE(f, nullptr);
      std::fputs(config.c_str(), f);
      std::fclose(f);
      args.insert(args.end(), {"--config", path});
    }
    ASSERT_TRUE(collector_.Start(args, log_));
    ASSERT_TRUE(WaitFor([&] { return Ctl({"stats"}).exit_code == 0; }))
        << testing::ReadTextFile(log_);
  }

  void TearDown() override {
    if (collector_.running()) {
      EXPECT_EQ(collector_.Stop(SIGTERM), 0) << testing::ReadTextFile(log_);
    }
  }

  CommandResult Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {kEstatectl, "--socket", socket_});
    return RunCommand(args);
  }

  nlohmann::json CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json j = ParseJson(r.out);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  // The loadgen's command line: 200 agents on 50 relay connections for 3 s, TLS and enrollment.
  std::vector<std::string> LoadgenArgs(const std::string& mode,
                                       const std::vector<std::string>& extra) {
    std::vector<std::string> args = {kLoadgen,
                                     "--collector",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--agents",
                                     std::to_string(kAgents),
                                     "--duration",
                                     "3",
                                     "--mode",
                                     mode,
                                     "--connections",
                                     "50",
                                     "--collector-pid",
                                     std::to_string(collector_.pid()),
                                     "--ca-file",
                                     pki_ + "/ca.pem",
                                     "--enroll-secret-file",
                                     pki_ + "/enroll-secret"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // The last line of the loadgen's output: its JSON summary.
  static nlohmann::json LastLineJson(std::string out) {
    while (!out.empty() && out.back() == '\n') out.pop_back();
    const std::string last =
        out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
    nlohmann::json summary = ParseJson(last);
    EXPECT_TRUE(summary.is_object()) << "last line is not a JSON object: " << last;
    return summary.is_object() ? summary : nlohmann::json::object();
  }

  // Runs the loadgen and returns its summary: the last line of stdout.
  nlohmann::json Loadgen(const std::string& mode, std::vector<std::string> extra = {}) {
    const std::vector<std::string> args = LoadgenArgs(mode, extra);
    CommandResult r = RunCommand(args, std::chrono::seconds(120));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err << testing::ReadTextFile(log_);
    nlohmann::json summary = LastLineJson(r.out);
    if (summary.empty()) return summary;
    EXPECT_EQ(summary.value("mode", ""), mode);
    EXPECT_EQ(summary.value("agents", 0), kAgents);
    EXPECT_EQ(summary.value("errors", -1), 0) << summary.dump(2);
    EXPECT_GT(summary.value("reports", 0), 0) << summary.dump(2);
    EXPECT_GT(summary.value("reports_per_s", 0.0), 0.0);
    EXPECT_GT(summary.value("seconds", 0.0), 0.0);
    EXPECT_LE(summary.value("p50_ms", -1.0), summary.value("p99_ms", -1.0));
    EXPECT_LE(summary.value("p99_ms", -1.0), summary.value("max_ms", -1.0));
    EXPECT_GT(summary.value("collector_peak_rss_kb", 0), 0);
    EXPECT_GT(summary.value("loadgen_cpu_ms_per_report", 0.0), 0.0);
    const bool relay = std::find(extra.begin(), extra.end(), "--no-multiplex") == extra.end();
    EXPECT_EQ(summary.value("multiplex", !relay), relay);
    EXPECT_EQ(summary.value("window", 0), 32);
    return summary;
  }

  size_t AssetCount() { return CtlJson({"assets"}).at("assets").size(); }

  // Checks that `agents` simulated agents have reported and each is exactly
  // one asset: one asset carries its host name and its primary MAC, with the
  // agent as a source. (Relay connections start their nodes' first reports
  // together, so which agents reported first is not in index order.)
  void ExpectOneAssetPerAgent(int agents) {
    loadgen::FleetOptions options;
    options.seed = 1;  // the loadgen's default
    options.agents = kAgents;
    loadgen::SimulatedFleet fleet(options, loadgen::BuiltinPackagePool());
    std::map<std::string, int> by_hostname, by_mac, agent_sources;
    const nlohmann::json assets = CtlJson({"assets"});
    for (const auto& asset : assets.at("assets")) {
      by_hostname[asset.value("hostname", "")]++;
      for (const auto& mac : asset.value("macs", nlohmann::json::array())) by_mac[mac]++;
      for (const auto& source : asset.value("sources", nlohmann::json::array())) {
        if (source.value("kind", "") == "agent") agent_sources[source.value("node_id", "")]++;
      }
    }
    int reported = 0;
    for (int i = 0; i < kAgents; ++i) {
      const uint32_t agent = static_cast<uint32_t>(i);
      if (agent_sources.count(fleet.AgentNodeId(agent)) == 0) continue;
      ++reported;
      EXPECT_EQ(by_hostname[fleet.AgentHostname(agent)], 1) << fleet.AgentHostname(agent);
      EXPECT_EQ(agent_sources[fleet.AgentNodeId(agent)], 1) << fleet.AgentNodeId(agent);
      // Its primary MAC, a QEMU NIC's locally administered one too, is on its asset only.
      const std::string mac = fleet.PrimaryStation(agent).mac;
      EXPECT_EQ(by_mac[mac], 1) << mac;
    }
    EXPECT_EQ(reported, agents);
    EXPECT_EQ(agent_sources.size(), static_cast<size_t>(agents));
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::string socket_, log_, pki_;
  Daemon collector_;
};

TEST_F(LoadgenAgainstEstated, FullReportsMakeExactlyOneAssetPerAgent) {
  StartCollector();
  nlohmann::json run = Loadgen("full");
  const int reports = run.value("reports", 0);
  EXPECT_EQ(run.value("full_reports", 0), reports);
  // Every agent that reported is one asset, however often it reported (a
  // relay's nodes enroll one after another, so in a short run not all may have).
  const size_t assets = AssetCount();
  EXPECT_GT(assets, 0u);
  EXPECT_LE(assets, static_cast<size_t>(std::min(reports, kAgents)));
  ExpectOneAssetPerAgent(static_cast<int>(assets));
  nlohmann::json stats = CtlJson({"stats"});
  EXPECT_EQ(stats.value("full_reports", 0), reports);
  EXPECT_EQ(stats.value("rejected_reports", -1), 0);
  EXPECT_EQ(stats.value("protocol_errors", -1), 0);
}

TEST_F(LoadgenAgainstEstated, ARelayEnrollsEachOfItsNodesOverTlsOnLongLivedConnections) {
  StartCollector();
  // Delta mode's prime phase makes every node report (enrolling 200 nodes, a
  // durable write each, may outlast a short full-mode run).
  nlohmann::json run = Loadgen("delta", {"--duration", "1"});
  // 200 agents on 50 relay connections: 4 nodes each, every one enrolled once
  // through its relay, and no connection opened twice.
  EXPECT_EQ(run.value("enrollments", 0), kAgents);
  EXPECT_EQ(run.value("connections_opened", 0), 50);
  EXPECT_EQ(run.value("prime_reports", 0), kAgents);
  ExpectOneAssetPerAgent(kAgents);
  nlohmann::json stats = CtlJson({"stats"});
  EXPECT_EQ(stats.value("enrollments", 0), kAgents);
  EXPECT_EQ(stats.value("connections_accepted", 0), 50);
  EXPECT_EQ(stats.value("full_reports", 0), kAgents);
  EXPECT_EQ(stats.value("delta_reports", 0), run.value("delta_reports", -1));
  EXPECT_EQ(stats.value("protocol_errors", -1), 0);
  EXPECT_EQ(stats.value("auth_refused", -1), 0);
  // Each enrolled node is known to the collector by its own key.
  nlohmann::json agents = CtlJson({"agents"});
  ASSERT_TRUE(agents.contains("agents")) << agents.dump(2);
  EXPECT_EQ(agents.at("agents").size(), static_cast<size_t>(kAgents));
}

TEST_F(LoadgenAgainstEstated, WithoutMultiplexingEachCycleIsAConnectionOfItsOwn) {
  StartCollector();
  nlohmann::json run = Loadgen("delta", {"--no-multiplex", "--duration", "2"});
  EXPECT_EQ(run.value("prime_reports", 0), kAgents);
  EXPECT_GT(run.value("delta_reports", 0), 0) << run.dump(2);
  EXPECT_EQ(run.value("full_fallbacks", -1), 0);
  // One connection per report (prime and deltas).
  EXPECT_EQ(run.value("connections_opened", 0), kAgents + run.value("reports", 0));
  ExpectOneAssetPerAgent(kAgents);
  nlohmann::json stats = CtlJson({"stats"});
  EXPECT_EQ(stats.value("delta_reports", 0), run.value("delta_reports", -1));
  EXPECT_EQ(stats.value("full_reports", 0), kAgents);
  EXPECT_EQ(stats.value("rejected_reports", -1), 0);
}

TEST_F(LoadgenAgainstEstated, ARelayWhoseConnectionIsClosedReconnectsAndSaysItsHellosAgain) {
  StartCollector();
  const std::string log = dir_.path() + "/loadgen.log";
  Daemon loadgen;
  ASSERT_TRUE(loadgen.Start(LoadgenArgs("delta", {"--duration", "4"}), log));
  ASSERT_TRUE(WaitFor([&] { return CtlJson({"stats"}).value("delta_reports", 0) > 0; },
                      std::chrono::seconds(60)))
      << testing::ReadTextFile(log);
  // Revoking a node closes its relay's connection at once, with the reports
  // of the relay's other three nodes unanswered.
  loadgen::FleetOptions options;
  options.agents = kAgents;
  loadgen::SimulatedFleet fleet(options, loadgen::BuiltinPackagePool());
  ASSERT_EQ(Ctl({"revoke", fleet.AgentNodeId(0)}).exit_code, 0);
  // Exit 3: the revoked node's Hello on the new connection is refused, an error.
  EXPECT_EQ(loadgen.Stop(0, std::chrono::seconds(120)), 3) << testing::ReadTextFile(log);
  nlohmann::json run = LastLineJson(testing::ReadTextFile(log));
  EXPECT_EQ(run.at("errors_by_code").value("ERROR_CODE_UNAUTHENTICATED", 0), 1) << run.dump(2);
  // The closed connection, reopened (the collector hangs up on the refused
  // Hello of the revoked node, so once more), and its other nodes back on it.
  EXPECT_GE(run.value("connections_opened", 0), 51);
  EXPECT_LE(run.value("connections_opened", 0), 53);
  EXPECT_GT(run.value("delta_reports", 0), 0);
  nlohmann::json stats = CtlJson({"stats"});
  EXPECT_EQ(stats.value("revoked_sessions_closed", 0), 1);
  // Reports whose acks the close lost may be stored; every acknowledged one is.
  EXPECT_GE(stats.value("delta_reports", 0), run.value("delta_reports", -1));
  EXPECT_GE(stats.value("full_reports", 0), kAgents + run.value("full_reports", 0));
  EXPECT_EQ(stats.value("protocol_errors", -1), 0);
  EXPECT_EQ(AssetCount(), static_cast<size_t>(kAgents));
}

TEST_F(LoadgenAgainstEstated, DeltasAreAcceptedAfterOneFullReportPerAgent) {
  StartCollector();
  nlohmann::json run = Loadgen("delta");
  EXPECT_EQ(run.value("prime_reports", 0), kAgents);
  EXPECT_GT(run.value("delta_reports", 0), 0) << run.dump(2);
  EXPECT_EQ(run.value("full_fallbacks", -1), 0);
  EXPECT_EQ(AssetCount(), static_cast<size_t>(kAgents));
  ExpectOneAssetPerAgent(kAgents);
  nlohmann::json stats = CtlJson({"stats"});
  EXPECT_EQ(stats.value("delta_reports", 0), run.value("delta_reports", -1));
  EXPECT_EQ(stats.value("full_reports", 0), kAgents);
  EXPECT_EQ(stats.value("rejected_reports", -1), 0);
  // The prime phase and the deltas went over the same 50 relay connections.
  EXPECT_EQ(run.value("connections_opened", 0), 50);
}

TEST_F(LoadgenAgainstEstated, ARateIsHeldOverAllRelayConnectionsInBurstsOfAFewReports) {
  StartCollector();
  // 1,000/s over 50 connections: each takes 2 slots (2 ms of the rate) at a
  // time, so the run sends ~3,000 deltas, never more than the rate allows.
  nlohmann::json run = Loadgen("delta", {"--rate", "1000"});
  const double seconds = run.value("seconds", 0.0);
  const int deltas = run.value("delta_reports", 0);
  EXPECT_EQ(run.value("rate", 0.0), 1000.0);
  EXPECT_LE(deltas, 1000 * seconds + 100) << run.dump(2);
  EXPECT_GE(deltas, 0.8 * 1000 * seconds) << run.dump(2);
  EXPECT_EQ(CtlJson({"stats"}).value("delta_reports", 0), deltas);
}

TEST_F(LoadgenAgainstEstated, ObservationsBecomeSightingsAndNeverASecondAssetForAnAgent) {
  StartCollector();
  // The agents first, so that the sweep sees MACs of known assets.
  Loadgen("delta", {"--duration", "0.5"});
  ASSERT_EQ(AssetCount(), static_cast<size_t>(kAgents));
  nlohmann::json run = Loadgen("observations", {"--fdb"});
  EXPECT_GT(run.value("observation_reports", 0), 0);
  EXPECT_GT(run.value("observations", 0), 0);
  // Sightings of agents' MACs never make a second asset for an agent. (Unknown
  // devices may become assets of their own once sightings are reconciled, issue 6.)
  ExpectOneAssetPerAgent(kAgents);
  nlohmann::json sightings = CtlJson({"sightings"}).at("sightings");
  // Every agent's primary MAC, the unknown devices and the subnet switch.
  EXPECT_GT(sightings.size(), static_cast<size_t>(kAgents) + 8);
  size_t from_fdb = 0;
  for (const auto& s : sightings) {
    for (const auto& source : s.value("sources", nlohmann::json::array())) {
      if (source == "snmp_fdb") ++from_fdb;
    }
  }
  EXPECT_GT(from_fdb, static_cast<size_t>(kAgents));
  EXPECT_EQ(CtlJson({"stats"}).value("rejected_reports", -1), 0);
}

TEST_F(LoadgenAgainstEstated, BackpressureIsWaitedOutAndRetriedNotCountedAsAnError) {
  // A queue of 4 reports for 50 connections: most submissions are refused with UNAVAILABLE.
  StartCollector("max_queued_reports = 4\n");
  nlohmann::json run = Loadgen("full", {"--duration", "2"});
  EXPECT_GT(run.value("backpressure", 0), 0) << run.dump(2);
  EXPECT_EQ(run.at("errors_by_code").value("ERROR_CODE_UNAVAILABLE", 0),
            run.value("backpressure", -1));
  nlohmann::json stats = CtlJson({"stats"});
  EXPECT_EQ(stats.value("overloaded_reports", 0), run.value("backpressure", -1));
  // Every refused report was sent again and stored: acknowledged = stored.
  EXPECT_EQ(stats.value("full_reports", 0), run.value("reports", -1));
}

}  // namespace
}  // namespace estate
