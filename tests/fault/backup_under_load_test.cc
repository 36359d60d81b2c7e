// `estatectl backup DIR` while agents report: the checkpoint is one
// consistent moment of the store, and `estated --restore DIR` starts from it
// with the same assets. The agents then meet a collector that holds less than
// it acknowledged; they say so and bring it back to their latest facts.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/collector/temp_dir.h"
#include "tests/fault/collector_process.h"
#include "tests/fault/fault_agent.h"
#include "tests/fault/fleet_check.h"

namespace estate::fault {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kAgents = 4;

TEST(BackupUnderLoad, OnlineCheckpointRestoresTheSameAssetsAndAgentsCatchUp) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/live");
  std::filesystem::create_directories(dir.path() + "/restored");
  CollectorProcess live(dir.path() + "/live");
  ASSERT_TRUE(live.Start()) << live.LogTail();
  Fleet fleet;
  for (int i = 0; i < kAgents; ++i) {
    fleet.push_back(std::make_unique<FaultAgent>(dir.path() + "/agent-" + std::to_string(i), i,
                                                 live.address()));
    ASSERT_TRUE(fleet.back()->Start());
  }
  auto each_acked = [&](size_t n) {
    return testing::WaitFor(
        [&] {
          for (const auto& agent : fleet) {
            agent->ChangeFacts();
            if (agent->ParseAcks().sequences.size() < n) return false;
          }
          return true;
        },
        seconds(60));
  };
  ASSERT_TRUE(each_acked(3));

  // The backup is taken while reports keep landing.
  std::vector<uint64_t> acked_before(kAgents);
  for (int i = 0; i < kAgents; ++i) acked_before[i] = fleet[i]->ParseAcks().max();
  const std::string backup = dir.path() + "/backup";
  testing::CommandResult made = live.Ctl({"backup", backup});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_TRUE(each_acked(6));
  const nlohmann::json live_assets = live.CtlJson({"assets"});
  ASSERT_FALSE(live_assets.is_discarded());
  for (auto& agent : fleet) EXPECT_EQ(agent->Stop(), 0);
  EXPECT_EQ(live.Stop(), 0) << live.LogTail();

  // A new collector from the backup, on the port the agents know.
  CollectorProcess restored(dir.path() + "/restored");
  ASSERT_TRUE(restored.Start({"--restore", backup}, live.port())) << restored.LogTail();
  const nlohmann::json restored_assets = restored.CtlJson({"assets"});
  ASSERT_FALSE(restored_assets.is_discarded());
  auto ids = [](const nlohmann::json& listing) {
    std::vector<std::string> out;
    for (const auto& a : listing.value("assets", nlohmann::json::array())) out.push_back(a["id"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids(restored_assets), ids(live_assets));
  EXPECT_EQ(ids(restored_assets).size(), static_cast<size_t>(kAgents));
  // Each node stands at one report it was acknowledged for, from the moment
  // of the backup: consistent, not torn between two reports.
  for (int i = 0; i < kAgents; ++i) {
    const StoredNode node = ReadStoredNode(restored, *fleet[i]);
    ASSERT_TRUE(node.found) << fleet[i]->hostname();
    const auto acks = fleet[i]->ParseAcks().sequences;
    EXPECT_NE(std::find(acks.begin(), acks.end(), node.last_sequence), acks.end())
        << fleet[i]->hostname() << " restored at unacknowledged sequence " << node.last_sequence;
    EXPECT_GE(node.last_sequence, acked_before[i]) << fleet[i]->hostname();
  }

  // The agents notice the rollback and report their latest facts again.
  for (auto& agent : fleet) {
    EXPECT_EQ(agent->RunOnce(), 0) << agent->hostname();
    EXPECT_FALSE(agent->LogLines("it lost acknowledged reports").empty()) << agent->hostname();
  }
  EXPECT_TRUE(AgreesWithEveryAgent(restored, fleet, /*rolled_back=*/true));
  EXPECT_EQ(restored.Stop(), 0) << restored.LogTail();
}

}  // namespace
}  // namespace estate::fault
