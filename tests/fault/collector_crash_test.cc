// The collector SIGKILLed at random moments, again and again, while real
// agents (themselves killed now and then) report to it.
// After every kill the store is opened again on a port no agent knows and
// must hold every sequence the agents logged as acknowledged; at the end every
// spool drains and the store agrees with every agent, one asset each.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "tests/collector/temp_dir.h"
#include "tests/fault/collector_process.h"
#include "tests/fault/fault_agent.h"
#include "tests/fault/fleet_check.h"

namespace estate::fault {
namespace {

using std::chrono::milliseconds;

constexpr int kAgents = 5;
constexpr int kCollectorKills = 20;

class CollectorCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = std::random_device{}();
    rng_.seed(seed_);
    std::printf("seed %u\n", seed_);
  }

  // Lets the fleet run for `duration`, changing some agent's facts every
  // 100 ms and now and then SIGKILLing an agent and starting it again.
  void Run(milliseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(milliseconds(100));
      FaultAgent& agent = *fleet_[rng_() % fleet_.size()];
      agent.ChangeFacts();
      if (rng_() % 40 == 0) {
        agent.Kill();
        ++agent_kills_;
        ASSERT_TRUE(agent.Start());
      }
    }
  }

  milliseconds RandomDelay(int min_ms, int max_ms) {
    return milliseconds(min_ms + static_cast<int>(rng_() % (max_ms - min_ms + 1)));
  }

  unsigned seed_ = 0;
  std::mt19937 rng_;
  TempDir dir_;
  Fleet fleet_;
  int agent_kills_ = 0;
};

TEST_F(CollectorCrash, NothingAcknowledgedIsLostAcrossRepeatedSigkills) {
  CollectorProcess collector(dir_.path() + "/collector");
  std::filesystem::create_directories(dir_.path() + "/collector");
  ASSERT_TRUE(collector.Start()) << collector.LogTail();
  for (int i = 0; i < kAgents; ++i) {
    fleet_.push_back(std::make_unique<FaultAgent>(dir_.path() + "/agent-" + std::to_string(i), i,
                                                  collector.address()));
    ASSERT_TRUE(fleet_.back()->Start());
  }

  size_t acked_at_kills = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int kill = 1; kill <= kCollectorKills; ++kill) {
    Run(RandomDelay(300, 2500));
    if (HasFatalFailure()) return;
    collector.Kill();
    // Acks that arrived before the kill reach the agents' logs within moments.
    std::this_thread::sleep_for(milliseconds(300));
    // The store as the kill left it, on a port no agent knows, so nothing new lands.
    ASSERT_TRUE(collector.Start({}, testing::FreeLoopbackPort())) << collector.LogTail();
    ASSERT_TRUE(HoldsEveryAcknowledgedReport(collector, fleet_, &acked_at_kills))
        << "after kill " << kill << " (seed " << seed_ << ")";
    collector.Kill();
    ASSERT_TRUE(collector.Start()) << collector.LogTail();
  }
  const double loop_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The final runs: stop every agent, then one more report each with --once.
  for (auto& agent : fleet_) EXPECT_EQ(agent->Stop(), 0) << agent->hostname();
  for (auto& agent : fleet_) {
    EXPECT_EQ(agent->RunOnce(), 0) << agent->hostname() << ":\n"
                                   << testing::ReadTextFile(agent->log_path());
  }
  EXPECT_TRUE(AgreesWithEveryAgent(collector, fleet_)) << "seed " << seed_;

  size_t acked = 0;
  ASSERT_TRUE(HoldsEveryAcknowledgedReport(collector, fleet_, &acked));
  const nlohmann::json stats = collector.CtlJson({"stats"});
  std::printf(
      "%d collector SIGKILLs (and as many of the store reopened in between) in %.0f s, %d agent "
      "SIGKILLs; %zu agent reports acknowledged, every one verified in the store after each "
      "kill; collector stats: %s\n",
      kCollectorKills, loop_seconds, agent_kills_, acked, stats.dump().c_str());
  EXPECT_GT(acked, static_cast<size_t>(kAgents * kCollectorKills / 2));
  EXPECT_EQ(collector.Stop(), 0) << collector.LogTail();
}

}  // namespace
}  // namespace estate::fault
