// The collector's store on a small tmpfs that fills up while agents report:
// reports are refused with UNAVAILABLE and stay spooled, the collector logs
// one line, stays up and answers admin queries; when space returns it recovers
// by itself (once RocksDB has a memtable's worth of room, 64 MiB) and the
// spooled reports land. Needs root (mount); skips without.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "tests/collector/temp_dir.h"
#include "tests/fault/collector_process.h"
#include "tests/fault/fault_agent.h"
#include "tests/fault/fleet_check.h"
#include "tests/fault/scoped_tmpfs.h"

namespace estate::fault {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kAgents = 3;

size_t CountLines(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = 0; (pos = text.find(needle, pos)) != std::string::npos; ++pos) ++n;
  return n;
}

size_t TotalAcks(const Fleet& fleet) {
  size_t n = 0;
  for (const auto& agent : fleet) n += agent->ParseAcks().sequences.size();
  return n;
}

TEST(CollectorDiskFull, RefusesReportsStaysUpAndRecoversWhenSpaceReturns) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs for the store";
  TempDir dir;
  ScopedTmpfs fs(dir.path() + "/store-fs", 160ull << 20);
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs for the store: " << fs.error();
  // Less free space than RocksDB preallocates for its WAL (70 MiB), so a full
  // disk is felt at once; freeing it gives RocksDB the 64 MiB (one memtable)
  // it wants before it resumes.
  ASSERT_GT(fs.Fill("ballast", 120ull << 20), 0u);

  std::filesystem::create_directories(dir.path() + "/collector");
  CollectorProcess collector(dir.path() + "/collector", fs.path() + "/data");
  ASSERT_TRUE(collector.Start({"--log-level", "info"})) << collector.LogTail();
  Fleet fleet;
  for (int i = 0; i < kAgents; ++i) {
    fleet.push_back(std::make_unique<FaultAgent>(dir.path() + "/agent-" + std::to_string(i), i,
                                                 collector.address()));
    ASSERT_TRUE(fleet.back()->Start());
  }
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        for (const auto& agent : fleet) {
          if (agent->ParseAcks().sequences.size() < 2) return false;
        }
        return true;
      },
      seconds(60)));

  // Fill the filesystem; reports keep coming and carry changes.
  const uint64_t filler = fs.Fill("filler");
  ASSERT_GT(filler, 0u);
  auto change_all = [&] {
    for (auto& agent : fleet) agent->ChangeFacts();
  };
  const std::string refused = "collector cannot take report";
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        change_all();
        size_t refused_agents = 0;
        for (const auto& agent : fleet) refused_agents += !agent->LogLines(refused).empty();
        return refused_agents == fleet.size();
      },
      seconds(90)))
      << "the collector kept accepting reports on a full disk (" << fs.FreeBytes()
      << " bytes free)\n"
      << collector.LogTail();
  const size_t acked_while_full = TotalAcks(fleet);

  // A while on a full disk: up, answering admin queries, reports refused.
  for (int i = 0; i < 10; ++i) {
    change_all();
    std::this_thread::sleep_for(milliseconds(300));
    ASSERT_TRUE(collector.Alive()) << collector.LogTail();
    ASSERT_EQ(collector.Ctl({"stats"}).exit_code, 0) << collector.LogTail();
    ASSERT_EQ(collector.Ctl({"assets"}).exit_code, 0) << collector.LogTail();
  }
  EXPECT_TRUE(HoldsEveryAcknowledgedReport(collector, fleet));
  EXPECT_LE(TotalAcks(fleet), acked_while_full + kAgents) << "reports acknowledged on a full disk";
  const std::string log_full = testing::ReadTextFile(collector.log_path());
  EXPECT_EQ(CountLines(log_full, "cannot commit reports"), 1u) << log_full;
  // The agents were told why, with the code that keeps the report spooled.
  const std::string agent_line = fleet[0]->LogLines(refused).front();
  EXPECT_NE(agent_line.find("(unavailable: "), std::string::npos) << agent_line;
  EXPECT_NE(agent_line.find("No space left"), std::string::npos) << agent_line;
  for (const auto& agent : fleet) EXPECT_FALSE(agent->SpoolEmpty()) << agent->hostname();

  // Space returns: the collector recovers on its own and the spools drain.
  const auto freed_at = std::chrono::steady_clock::now();
  std::filesystem::remove(fs.path() + "/filler");
  std::filesystem::remove(fs.path() + "/ballast");
  const size_t acked_before = TotalAcks(fleet);
  ASSERT_TRUE(testing::WaitFor([&] { return TotalAcks(fleet) > acked_before; }, seconds(60)))
      << collector.LogTail();
  const double first_ack_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - freed_at).count();
  ASSERT_TRUE(WaitUntilDrained(fleet, seconds(60))) << collector.LogTail();
  const double drained_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - freed_at).count();
  EXPECT_NE(testing::ReadTextFile(collector.log_path()).find("store writes succeed again"),
            std::string::npos);

  // Nothing acknowledged before, during or after is lost, also across a SIGKILL.
  for (auto& agent : fleet) EXPECT_EQ(agent->Stop(), 0);
  collector.Kill();
  ASSERT_TRUE(collector.Start()) << collector.LogTail();
  for (auto& agent : fleet) EXPECT_EQ(agent->RunOnce(), 0) << agent->hostname();
  EXPECT_TRUE(AgreesWithEveryAgent(collector, fleet));
  std::printf(
      "disk full (%llu-byte filler): %zu acks before, reports refused, one log line; space "
      "back: first ack after %.1f s, every spool drained after %.1f s; %zu acks in all\n",
      static_cast<unsigned long long>(filler), acked_while_full, first_ack_s, drained_s,
      TotalAcks(fleet));
  EXPECT_EQ(collector.Stop(), 0) << collector.LogTail();
}

}  // namespace
}  // namespace estate::fault
