// The collector's store on a small tmpfs that fills up while agents report:
// reports are refused with UNAVAILABLE and stay spooled, the collector logs
// one line, stays up and answers admin queries and backups; when a little
// space returns (room for the next flush, not a 64 MiB reserve) it recovers by
// itself and the spooled reports land. Killed on a full disk, it starts again
// read-only, serves queries and backups, and takes reports once there is room,
// without a restart. Needs root (mount); skips without.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
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

const std::string kRefused = "collector cannot take report";

// A collector with its data on a `bytes` tmpfs and kAgents agents reporting
// to it, each acknowledged twice. Skips (mounted() false) without root.
struct FullDiskRig {
  TempDir dir;
  std::unique_ptr<ScopedTmpfs> fs;
  std::unique_ptr<CollectorProcess> collector;
  Fleet fleet;

  // An empty string when everything is up; otherwise why not.
  std::string Start(uint64_t bytes) {
    fs = std::make_unique<ScopedTmpfs>(dir.path() + "/store-fs", bytes);
    if (!fs->mounted()) return "skip";
    std::filesystem::create_directories(dir.path() + "/collector");
    collector = std::make_unique<CollectorProcess>(dir.path() + "/collector", fs->path() + "/data");
    if (!collector->Start({"--log-level", "info"})) return "collector: " + collector->LogTail();
    for (int i = 0; i < kAgents; ++i) {
      fleet.push_back(std::make_unique<FaultAgent>(dir.path() + "/agent-" + std::to_string(i), i,
                                                   collector->address()));
      if (!fleet.back()->Start()) return "agent " + std::to_string(i) + " did not start";
    }
    if (!EachAcked(2)) return "agents not acknowledged: " + collector->LogTail();
    return "";
  }
  bool EachAcked(size_t n) {
    return testing::WaitFor(
        [&] {
          for (const auto& agent : fleet) {
            agent->ChangeFacts();
            if (agent->ParseAcks().sequences.size() < n) return false;
          }
          return true;
        },
        seconds(60));
  }
  // Keeps the agents' facts changing until each was refused `more` times
  // beyond what its log says now.
  bool EachRefused(size_t more) {
    std::vector<size_t> before;
    for (const auto& agent : fleet) before.push_back(agent->LogLines(kRefused).size());
    return testing::WaitFor(
        [&] {
          for (size_t i = 0; i < fleet.size(); ++i) {
            fleet[i]->ChangeFacts();
            if (fleet[i]->LogLines(kRefused).size() < before[i] + more) return false;
          }
          return true;
        },
        seconds(90));
  }
  // Waits for an ack beyond `acked`, changing facts meanwhile; seconds it took, or -1.
  double SecondsToNextAck(size_t acked, std::chrono::seconds timeout) {
    const auto start = std::chrono::steady_clock::now();
    const bool ok = testing::WaitFor(
        [&] {
          for (auto& agent : fleet) agent->ChangeFacts();
          return TotalAcks(fleet) > acked;
        },
        timeout);
    if (!ok) return -1;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

// Restores `backup` into a new collector (not on the agents' port) and checks
// that each agent's node stands at least at the sequence it had acknowledged
// when the backup was taken.
void ExpectBackupHolds(const std::string& dir, const std::string& backup, const Fleet& fleet,
                       const std::vector<uint64_t>& acked_at_backup) {
  std::filesystem::create_directories(dir);
  CollectorProcess restored(dir);
  ASSERT_TRUE(restored.Start({"--restore", backup})) << restored.LogTail();
  for (size_t i = 0; i < fleet.size(); ++i) {
    const StoredNode node = ReadStoredNode(restored, *fleet[i]);
    ASSERT_TRUE(node.found) << fleet[i]->hostname();
    EXPECT_GE(node.last_sequence, acked_at_backup[i]) << fleet[i]->hostname();
  }
  EXPECT_EQ(restored.Stop(), 0) << restored.LogTail();
}

std::vector<uint64_t> AckedNow(const Fleet& fleet) {
  std::vector<uint64_t> acked;
  for (const auto& agent : fleet) acked.push_back(agent->ParseAcks().max());
  return acked;
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
  const std::string& refused = kRefused;
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

// A 64 MiB volume: RocksDB's own recovery would wait for 64 MiB free, which
// such a volume never has. Here a backup is taken while the disk is full
// (into a directory elsewhere, so it copies), and freeing 2 MiB is enough for
// writes to resume.
TEST(CollectorDiskFull, BacksUpWhileFullAndResumesWithTwoMiBFreeOnA64MiBVolume) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs for the store";
  FullDiskRig rig;
  const std::string up = rig.Start(64ull << 20);
  if (up == "skip") GTEST_SKIP() << "cannot mount a tmpfs for the store: " << rig.fs->error();
  ASSERT_EQ(up, "");
  constexpr uint64_t kRoom = 2ull << 20;
  ASSERT_EQ(rig.fs->Fill("room", kRoom), kRoom);
  ASSERT_GT(rig.fs->Fill("filler"), 0u);
  ASSERT_TRUE(rig.EachRefused(1)) << rig.collector->LogTail();
  const size_t acked_full = TotalAcks(rig.fleet);

  // A backup on a full disk: into another file system it works (copies)...
  const std::vector<uint64_t> acked_at_backup = AckedNow(rig.fleet);
  const std::string backup = rig.dir.path() + "/backup-while-full";
  testing::CommandResult made = rig.collector->Ctl({"backup", backup});
  EXPECT_EQ(made.exit_code, 0) << made.err << rig.collector->LogTail();
  // ...and onto the full disk it fails, saying why, and leaves nothing behind.
  testing::CommandResult onto_full = rig.collector->Ctl({"backup", rig.fs->path() + "/backup"});
  EXPECT_EQ(onto_full.exit_code, 1);
  EXPECT_NE(onto_full.err.find("No space left"), std::string::npos) << onto_full.err;
  EXPECT_FALSE(std::filesystem::exists(rig.fs->path() + "/backup"));
  EXPECT_FALSE(std::filesystem::exists(rig.fs->path() + "/backup.tmp"));
  ASSERT_EQ(rig.collector->Ctl({"assets"}).exit_code, 0);

  // 2 MiB back, no restart: the spooled reports land.
  const pid_t pid = rig.collector->pid();
  std::filesystem::remove(rig.fs->path() + "/room");
  const double first_ack_s = rig.SecondsToNextAck(acked_full, seconds(60));
  ASSERT_GE(first_ack_s, 0) << "no ack with " << rig.fs->FreeBytes() << " bytes free\n"
                            << rig.collector->LogTail();
  EXPECT_EQ(rig.collector->pid(), pid);
  ASSERT_TRUE(WaitUntilDrained(rig.fleet, seconds(60))) << rig.collector->LogTail();
  EXPECT_TRUE(HoldsEveryAcknowledgedReport(*rig.collector, rig.fleet));
  std::printf(
      "64 MiB volume full: backup elsewhere ok; %llu bytes freed: first ack after %.1f s, %llu "
      "bytes free after the spools drained\n",
      static_cast<unsigned long long>(kRoom), first_ack_s,
      static_cast<unsigned long long>(rig.fs->FreeBytes()));
  for (auto& agent : rig.fleet) EXPECT_EQ(agent->Stop(), 0);
  EXPECT_EQ(rig.collector->Stop(), 0) << rig.collector->LogTail();

  if (made.exit_code == 0) {
    ExpectBackupHolds(rig.dir.path() + "/restored", backup, rig.fleet, acked_at_backup);
  }
}

// SIGKILLed with 0 bytes free, the collector starts again read-only instead
// of exiting: queries and backups work, reports are refused as unavailable
// (the agents keep them), and once there is room it takes them, same process.
TEST(CollectorDiskFull, StartsReadOnlyAfterSigkillOnAFullDiskAndResumesWithoutRestart) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs for the store";
  FullDiskRig rig;
  const std::string up = rig.Start(64ull << 20);
  if (up == "skip") GTEST_SKIP() << "cannot mount a tmpfs for the store: " << rig.fs->error();
  ASSERT_EQ(up, "");
  constexpr uint64_t kRoom = 2ull << 20;
  ASSERT_EQ(rig.fs->Fill("room", kRoom), kRoom);
  ASSERT_GT(rig.fs->Fill("filler"), 0u);
  ASSERT_TRUE(rig.EachRefused(1)) << rig.collector->LogTail();
  rig.collector->Kill();
  rig.fs->Fill("filler");  // whatever the dead process held is taken too
  EXPECT_LT(rig.fs->FreeBytes(), 4096u);
  const std::vector<uint64_t> acked_before_kill = AckedNow(rig.fleet);

  ASSERT_TRUE(rig.collector->Start({"--log-level", "info"}))
      << "estated did not start on a full disk\n"
      << rig.collector->LogTail();
  const pid_t pid = rig.collector->pid();
  EXPECT_NE(testing::ReadTextFile(rig.collector->log_path()).find("opened read-only"),
            std::string::npos);
  // Queries: everything acknowledged before the kill is there.
  EXPECT_EQ(rig.collector->Ctl({"stats"}).exit_code, 0);
  EXPECT_EQ(rig.collector->Ctl({"show", rig.fleet[0]->hostname()}).exit_code, 0);
  EXPECT_TRUE(HoldsEveryAcknowledgedReport(*rig.collector, rig.fleet));
  // A backup, elsewhere.
  const std::string backup = rig.dir.path() + "/backup-read-only";
  testing::CommandResult made = rig.collector->Ctl({"backup", backup});
  EXPECT_EQ(made.exit_code, 0) << made.err << rig.collector->LogTail();
  // Reports: refused as unavailable, so they stay spooled; admin changes fail clearly.
  const size_t acked_read_only = TotalAcks(rig.fleet);
  ASSERT_TRUE(rig.EachRefused(2)) << rig.collector->LogTail();
  EXPECT_EQ(TotalAcks(rig.fleet), acked_read_only) << "a report acknowledged read-only";
  const std::string agent_line = rig.fleet[0]->LogLines(kRefused).back();
  EXPECT_NE(agent_line.find("(unavailable: "), std::string::npos) << agent_line;
  for (const auto& agent : rig.fleet) EXPECT_FALSE(agent->SpoolEmpty()) << agent->hostname();
  testing::CommandResult change =
      rig.collector->Ctl({"set", rig.fleet[0]->hostname(), "owner=someone"});
  EXPECT_NE(change.exit_code, 0);
  EXPECT_TRUE(rig.collector->Alive());

  // Room again: the same process opens the store for writing and the spools drain.
  std::filesystem::remove(rig.fs->path() + "/room");
  const double first_ack_s = rig.SecondsToNextAck(acked_read_only, seconds(60));
  ASSERT_GE(first_ack_s, 0) << "no ack with " << rig.fs->FreeBytes() << " bytes free\n"
                            << rig.collector->LogTail();
  EXPECT_EQ(rig.collector->pid(), pid);
  EXPECT_NE(testing::ReadTextFile(rig.collector->log_path()).find("store writes succeed again"),
            std::string::npos);
  ASSERT_TRUE(WaitUntilDrained(rig.fleet, seconds(60))) << rig.collector->LogTail();
  EXPECT_EQ(rig.collector->Ctl({"set", rig.fleet[0]->hostname(), "owner=someone"}).exit_code, 0);
  std::printf(
      "SIGKILL at 0 bytes free: restarted read-only; %llu bytes freed: first ack after %.1f s\n",
      static_cast<unsigned long long>(kRoom), first_ack_s);
  for (auto& agent : rig.fleet) EXPECT_EQ(agent->Stop(), 0);
  EXPECT_TRUE(AgreesWithEveryAgent(*rig.collector, rig.fleet));
  EXPECT_EQ(rig.collector->Stop(), 0) << rig.collector->LogTail();

  if (made.exit_code == 0) {
    ExpectBackupHolds(rig.dir.path() + "/restored", backup, rig.fleet, acked_before_kill);
  }
}

}  // namespace
}  // namespace estate::fault
