#include "tests/loadgen/install_history.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "tests/loadgen/package_pool.h"
#include "tests/loadgen/simulated_fleet.h"

namespace estate::loadgen {
namespace {

SimulatedFleet MakeFleet(uint64_t seed = 11) {
  FleetOptions options;
  options.seed = seed;
  options.agents = 100;
  return SimulatedFleet(options, BuiltinPackagePool());
}

std::vector<int64_t> InstallTimes(const v1::HostFacts& facts) {
  std::vector<int64_t> times;
  for (const auto& p : facts.software()) times.push_back(p.install_time());
  std::sort(times.begin(), times.end());
  return times;
}

TEST(InstallHistory, IsAPureFunctionOfSeedAndAgent) {
  auto a = MakeFleet(), b = MakeFleet(), other = MakeFleet(12);
  v1::HostFacts fa, fb, fc;
  a.BuildFacts(9, AgentState(), &fa);
  b.BuildFacts(9, AgentState(), &fb);
  other.BuildFacts(9, AgentState(), &fc);
  EXPECT_EQ(InstallTimes(fa), InstallTimes(fb));
  EXPECT_NE(InstallTimes(fa), InstallTimes(fc));
}

TEST(InstallHistory, InstallTimesClusterByAptTransaction) {
  auto fleet = MakeFleet();
  const auto& pool = BuiltinPackagePool();
  for (uint32_t agent = 0; agent < 100; ++agent) {
    v1::HostFacts facts;
    fleet.BuildFacts(agent, AgentState(), &facts);
    const InstallHistory history = fleet.History(agent);
    const int64_t os_install = facts.os().install_time();
    EXPECT_EQ(history.os_install(), os_install);
    const std::vector<int64_t> times = InstallTimes(facts);
    ASSERT_GT(times.size(), 1000u);
    // Nothing before the OS install; the core packages within its first hour.
    EXPECT_GE(times.front(), os_install);
    for (const auto& p : facts.software()) {
      const auto it = std::lower_bound(
          pool.begin(), pool.end(), p.name(),
          [](const PoolPackage& q, const std::string& name) { return q.name < name; });
      ASSERT_NE(it, pool.end());
      if (it->core) {
        EXPECT_LT(p.install_time(), os_install + 3600) << p.name();
      }
    }
    // Far fewer distinct seconds than packages (the build machine: 845 in 149).
    const std::set<int64_t> seconds(times.begin(), times.end());
    EXPECT_LT(seconds.size() * 2, times.size()) << "agent " << agent;
    // Transactions: runs of installs with no gap of more than 10 minutes.
    size_t transactions = 1;
    for (size_t i = 1; i < times.size(); ++i) transactions += times[i] - times[i - 1] > 600;
    EXPECT_GE(transactions, 3u);
    EXPECT_LE(transactions, 31u);
    EXPECT_EQ(transactions - 1 <= history.later_transactions(), true);
    // The OS install holds most packages: the biggest minute holds many.
    std::map<int64_t, int> per_minute;
    for (int64_t t : times) per_minute[t / 60]++;
    int biggest = 0;
    for (const auto& [minute, n] : per_minute) biggest = std::max(biggest, n);
    EXPECT_GT(biggest, 100) << "agent " << agent;
    if (agent == 0) {
      std::printf(
          "agent 0: %zu packages in %zu distinct seconds, %zu transactions, %d in the "
          "biggest minute\n",
          times.size(), seconds.size(), transactions, biggest);
    }
  }
}

TEST(InstallHistory, UpgradesKeepTheRevisionTime) {
  auto fleet = MakeFleet();
  AgentState state;
  v1::DeltaReport delta;
  fleet.AdvanceRevision(4, &state, &delta);
  ASSERT_GT(delta.software_upserted_size(), 0);
  for (const auto& p : delta.software_upserted()) {
    // Revision 1 is an hour after revision 0 (2025-01-31).
    EXPECT_EQ(p.install_time(), 1735689600 + 30 * 86400 + 3600) << p.name();
  }
}

}  // namespace
}  // namespace estate::loadgen
