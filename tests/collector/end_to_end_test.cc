// The whole path with the real binaries: estated on a temporary directory and
// a loopback port, estate-agent pushing this machine's inventory, estatectl
// reading it back — across a clean restart and across a SIGKILL right after an ack.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/collector/temp_dir.h"
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
const std::string kAgent = kBin + "/agent/estate-agent";

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreeLoopbackPort();
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
  }

  void StartCollector() {
    ASSERT_TRUE(collector_.Start(
        {kEstated, "--data-dir", dir_.path() + "/data", "--listen",
         "127.0.0.1:" + std::to_string(port_), "--admin-socket", socket_, "--insecure-plaintext"},
        log_));
    ASSERT_TRUE(WaitFor([&] { return Ctl({"stats"}).exit_code == 0; }))
        << testing::ReadTextFile(log_);
  }

  CommandResult Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {kEstatectl, "--socket", socket_});
    return RunCommand(args);
  }

  CommandResult Push(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {kAgent, "push", "--insecure-plaintext", "--collector",
                                     "127.0.0.1:" + std::to_string(port_)};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCommand(args);
  }

  nlohmann::json Json(const CommandResult& r) {
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return j;
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::string socket_, log_;
  Daemon collector_;
};

TEST_F(EndToEnd, PushedInventoryIsStoredAndSurvivesARestart) {
  StartCollector();
  CommandResult inventory = RunCommand({kAgent, "inventory", "--json"});
  ASSERT_EQ(inventory.exit_code, 0) << inventory.err;
  const nlohmann::json facts = Json(inventory);
  const std::string hostname = facts.at("hostname");

  CommandResult push = Push();
  ASSERT_EQ(push.exit_code, 0) << push.err << testing::ReadTextFile(log_);
  const std::string asset_id = push.out.substr(0, push.out.find('\n'));
  EXPECT_EQ(asset_id.rfind("A-", 0), 0u) << push.out;

  EXPECT_EQ(collector_.Stop(SIGTERM), 0) << testing::ReadTextFile(log_);
  StartCollector();

  CommandResult show = Ctl({"--json", "show", hostname});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  nlohmann::json asset = Json(show);
  EXPECT_EQ(asset.at("id"), asset_id);
  EXPECT_EQ(asset.at("hostname"), hostname);
  EXPECT_EQ(asset.at("machine_id"), facts.at("machine_id"));
  // The stored facts are the agent's facts.
  ASSERT_TRUE(asset.at("facts").is_object());
  const nlohmann::json& stored = asset.at("facts").begin().value();
  EXPECT_EQ(stored.at("kernel"), facts.at("kernel"));
  EXPECT_EQ(stored.at("network").at("interfaces").size(),
            facts.at("network").at("interfaces").size());

  // The table view lists it too.
  CommandResult table = Ctl({"assets"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find(asset_id), std::string::npos);
  EXPECT_NE(table.out.find(hostname), std::string::npos);
}

TEST_F(EndToEnd, AcknowledgedReportSurvivesSigkillRightAfterTheAck) {
  StartCollector();
  for (int round = 1; round <= 3; ++round) {
    const std::string node = "kill-test-" + std::to_string(round);
    CommandResult push = Push({"--node-id", node, "--sequence", std::to_string(1000 + round)});
    ASSERT_EQ(push.exit_code, 0) << push.err;
    ASSERT_EQ(collector_.Stop(SIGKILL), -SIGKILL);  // no chance to flush anything
    StartCollector();
    // The acknowledged sequence is stored: replaying it is a duplicate.
    CommandResult replay = Push({"--node-id", node, "--sequence", std::to_string(1000 + round)});
    ASSERT_EQ(replay.exit_code, 0) << replay.err;
    EXPECT_EQ(Json(Ctl({"--json", "stats"})).at("duplicate_reports"), 1)
        << "sequence " << 1000 + round << " was acknowledged but not stored";
  }
  // One machine, several live node ids: the first keeps the machine's asset;
  // each later node's report is kept on an asset of its own and its claim on
  // the machine's identifiers is an identity_conflict (docs/architecture.md,
  // "Identity claims"), never a takeover.
  EXPECT_EQ(Json(Ctl({"--json", "assets"})).at("assets").size(), 3u);
  EXPECT_FALSE(Json(Ctl({"--json", "events", "--kind", "identity_conflict"})).at("events").empty());
}

TEST_F(EndToEnd, BackupTakenOnlineRestoresIntoANewCollector) {
  StartCollector();
  CommandResult push = Push({"--node-id", "backup-node"});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  const std::string asset_id = push.out.substr(0, push.out.find('\n'));
  const std::string backup = dir_.path() + "/backup";
  CommandResult made = Ctl({"backup", backup});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(Ctl({"backup", backup}).exit_code, 1);  // never over an existing directory
  EXPECT_EQ(collector_.Stop(SIGTERM), 0);

  // A second collector on a fresh data directory, started from the backup.
  const std::string socket = dir_.path() + "/restored.sock";
  Daemon restored;
  ASSERT_TRUE(
      restored.Start({kEstated, "--data-dir", dir_.path() + "/restored", "--listen",
                      "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()), "--admin-socket",
                      socket, "--restore", backup, "--insecure-plaintext"},
                     log_));
  auto show = [&] {
    return RunCommand({kEstatectl, "--socket", socket, "--json", "show", asset_id});
  };
  ASSERT_TRUE(WaitFor([&] { return show().exit_code == 0; })) << testing::ReadTextFile(log_);
  EXPECT_EQ(Json(show()).at("id"), asset_id);
  EXPECT_EQ(restored.Stop(SIGTERM), 0);
}

TEST_F(EndToEnd, EstatectlSaysClearlyWhenNoCollectorRuns) {
  CommandResult r = Ctl({"assets"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no collector is running"), std::string::npos) << r.err;
}

TEST_F(EndToEnd, PushSaysClearlyWhenNoCollectorRuns) {
  CommandResult r = Push();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot connect to collector"), std::string::npos) << r.err;
}

TEST_F(EndToEnd, UnknownAssetIsAClearError) {
  StartCollector();
  CommandResult r = Ctl({"show", "no-such-host"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no asset matches 'no-such-host'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace estate
