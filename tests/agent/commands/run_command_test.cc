// estate-agent run as a real process: scheduled reports, deltas, SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/agent/commands/fake_collector.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::FakeCollector;
using testing::TempDir;

const std::string kAgent = std::string(ESTATE_BINARY_DIR) + "/agent/estate-agent";

std::string WriteConfig(const TempDir& dir, const std::string& collector) {
  const std::string path = dir.path() + "/agent.conf";
  std::ofstream(path) << "collector = " << collector << "\nstate_dir = " << dir.path()
                      << "/state\ninterval_seconds = 1\njitter_seconds = 0\n"
                      << "retry_seconds = 1\nlog_level = warn\ninsecure_plaintext = true\n";
  return path;
}

uint64_t ReportSequenceOf(const v1::Frame& frame) {
  return frame.has_full_report() ? frame.full_report().sequence() : frame.delta_report().sequence();
}

pid_t Spawn(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Exit status of `pid`, or -1 when it has not exited within `timeout`.
int WaitExit(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

TEST(RunCommand, ReportsOnScheduleWithDeltasAndStopsCleanlyOnSigterm) {
  FakeCollector collector;
  TempDir dir;
  pid_t pid = Spawn({kAgent, "run", "--config", WriteConfig(dir, collector.address())});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (collector.Frames().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(20)), 0);
  auto frames = collector.Frames();
  ASSERT_GE(frames.size(), 2u);
  EXPECT_TRUE(frames[0].has_full_report());
  EXPECT_TRUE(frames[1].has_delta_report());
  EXPECT_EQ(frames[1].delta_report().base_sequence(), frames[0].full_report().sequence());
}

TEST(RunCommand, OnceExitsNonZeroAndKeepsTheReportWhenTheCollectorIsDown) {
  uint16_t dead_port;
  {
    FakeCollector gone;
    dead_port = gone.port();
  }
  TempDir dir;
  const std::string config = WriteConfig(dir, "127.0.0.1:" + std::to_string(dead_port));
  EXPECT_EQ(
      WaitExit(Spawn({kAgent, "run", "--config", config, "--once"}), std::chrono::seconds(30)), 1);
  // The next start, with the collector back, delivers what was spooled first.
  FakeCollector collector;
  const std::string back = WriteConfig(dir, collector.address());
  EXPECT_EQ(WaitExit(Spawn({kAgent, "run", "--config", back, "--once"}), std::chrono::seconds(30)),
            0);
  auto frames = collector.Frames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].has_full_report());
  EXPECT_TRUE(frames[1].has_delta_report());
}

TEST(RunCommand, LosesNoReportWhenKilledWhileTheCollectorIsDown) {
  uint16_t dead_port;
  {
    FakeCollector gone;
    dead_port = gone.port();
  }
  TempDir dir;
  pid_t pid = Spawn(
      {kAgent, "run", "--config", WriteConfig(dir, "127.0.0.1:" + std::to_string(dead_port))});
  const std::string spool = dir.path() + "/state/spool";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!std::filesystem::exists(spool) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(std::filesystem::exists(spool));
  FakeCollector collector;
  EXPECT_EQ(
      WaitExit(Spawn({kAgent, "run", "--config", WriteConfig(dir, collector.address()), "--once"}),
               std::chrono::seconds(30)),
      0);
  auto frames = collector.Frames();
  ASSERT_GE(frames.size(), 2u);  // what was spooled before the kill, then this run's report
  EXPECT_TRUE(frames[0].has_full_report());
  // In order, and each delta based on the report before it (a kill between
  // spooling a report and recording it as the base makes the next one full).
  for (size_t i = 1; i < frames.size(); ++i) {
    EXPECT_GT(ReportSequenceOf(frames[i]), ReportSequenceOf(frames[i - 1]));
    if (frames[i].has_delta_report()) {
      EXPECT_EQ(frames[i].delta_report().base_sequence(), ReportSequenceOf(frames[i - 1]));
    }
  }
}

TEST(RunCommand, RejectsAConfigWithoutCollector) {
  TempDir dir;
  const std::string path = dir.path() + "/empty.conf";
  std::ofstream(path) << "state_dir = " << dir.path() << "\n";
  EXPECT_EQ(WaitExit(Spawn({kAgent, "run", "--config", path}), std::chrono::seconds(10)), 2);
}

// A typo would silently keep the default (report every hour instead of 5 s).
TEST(RunCommand, RefusesAConfigWithAnUnknownKey) {
  TempDir dir;
  const std::string path = dir.path() + "/typo.conf";
  std::ofstream(path) << "collector = 127.0.0.1:1\nstate_dir = " << dir.path()
                      << "\ninterval_second = 5\ninsecure_plaintext = true\n";
  EXPECT_EQ(WaitExit(Spawn({kAgent, "run", "--config", path, "--once"}), std::chrono::seconds(10)),
            2);
}

}  // namespace
}  // namespace estate::agent
