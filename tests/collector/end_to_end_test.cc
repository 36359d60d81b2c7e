// The whole path with the real binaries: estated on a temporary directory and
// a loopback port, estate-agent pushing this machine's inventory, estatectl
// reading it back — across a clean restart and across a SIGKILL right after an ack.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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
const std::string kEstated = kBin + "/collector/estated";
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kAgent = kBin + "/agent/estate-agent";

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = collector_.port();
    socket_ = collector_.socket();
    log_ = collector_.log();
  }

  void StartCollector() { ASSERT_TRUE(collector_.Start()) << testing::ReadTextFile(log_); }

  CommandResult Ctl(std::vector<std::string> args) { return collector_.Ctl(std::move(args)); }

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
  testing::LocalCollector collector_{kBin, dir_.path()};
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

// Every directory and file under `dir` with a mode wider than 0700 / 0600
// (sockets excepted: the admin socket is 0660 on purpose), as "path mode" lines.
std::string WiderThanPrivate(const std::string& dir) {
  namespace fs = std::filesystem;
  std::string wide;
  auto check = [&](const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || S_ISSOCK(st.st_mode)) return;
    const mode_t allowed = S_ISDIR(st.st_mode) ? 0700 : 0600;
    if ((st.st_mode & 07777 & ~allowed) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
      wide += path.string() + " " + mode + "\n";
    }
  };
  check(dir);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) check(entry.path());
  return wide;
}

TEST_F(EndToEnd, StoreAndBackupsArePrivateWhateverTheUmask) {
  // A data directory and store left world-readable by an older version.
  const std::string data = dir_.path() + "/data";
  std::filesystem::create_directories(data + "/inventory");
  ::chmod(data.c_str(), 0755);
  ::chmod((data + "/inventory").c_str(), 0755);
  std::ofstream(data + "/inventory/leftover") << "x";
  ::chmod((data + "/inventory/leftover").c_str(), 0644);
  const mode_t old_mask = ::umask(022);  // estated inherits the usual login umask
  StartCollector();
  ::umask(old_mask);
  ASSERT_EQ(Push({"--node-id", "modes-node"}).exit_code, 0);
  const std::string backup = dir_.path() + "/backup";
  ASSERT_EQ(Ctl({"backup", backup}).exit_code, 0);
  EXPECT_EQ(collector_.Stop(SIGTERM), 0) << testing::ReadTextFile(log_);

  EXPECT_EQ(WiderThanPrivate(data), "");
  EXPECT_EQ(WiderThanPrivate(backup), "");
  EXPECT_TRUE(std::filesystem::exists(data + "/inventory/CURRENT"));

  // A store restored from the backup is private too.
  const std::string restored_dir = dir_.path() + "/restored";
  Daemon restored;
  const std::string socket = dir_.path() + "/restored.sock";
  ::umask(022);
  ASSERT_TRUE(
      restored.Start({kEstated, "--data-dir", restored_dir, "--listen",
                      "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()), "--admin-socket",
                      socket, "--restore", backup, "--insecure-plaintext"},
                     log_));
  ::umask(old_mask);
  ASSERT_TRUE(WaitFor([&] {
    return RunCommand({kEstatectl, "--socket", socket, "stats"}).exit_code == 0;
  })) << testing::ReadTextFile(log_);
  EXPECT_EQ(restored.Stop(SIGTERM), 0);
  EXPECT_EQ(WiderThanPrivate(restored_dir), "");
}

TEST_F(EndToEnd, ShowPrintsNoEscapeSequenceAnAgentReported) {
  // An agent's host whose OS name and host name carry a window-title (OSC)
  // sequence, colours, a screen clear and bells.
  namespace fs = std::filesystem;
  const std::string root = dir_.path() + "/root";
  fs::copy(std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/roots/ws-debian12", root,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  const std::string hostile = "\x1b]0;owned\x07\x1b[31m\x1b[2J\x07";
  std::ofstream(root + "/etc/os-release", std::ios::trunc)
      << "PRETTY_NAME=\"Debian " << hostile << "\"\nID=debian\nVERSION_ID=\"12\"\n";
  std::ofstream(root + "/proc/sys/kernel/hostname", std::ios::trunc) << "ws" << hostile << "\n";
  std::ofstream(root + "/etc/hostname", std::ios::trunc) << "ws" << hostile << "\n";
  StartCollector();
  CommandResult push = Push({"--root", root, "--node-id", "escape-node"});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  const std::string asset_id = push.out.substr(0, push.out.find('\n'));

  CommandResult show = Ctl({"show", asset_id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  for (unsigned char c : show.out) {
    ASSERT_TRUE(c >= 0x20 || c == '\n') << "control byte " << int(c) << " in:\n" << show.out;
  }
  // What was there is still visible, as text.
  EXPECT_NE(show.out.find("\\x1b]0;owned\\x07"), std::string::npos) << show.out;
  // The same for the other human outputs that list the host.
  for (const auto& command :
       {std::vector<std::string>{"assets"}, std::vector<std::string>{"history", asset_id}}) {
    CommandResult r = Ctl(command);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (unsigned char c : r.out) ASSERT_TRUE(c >= 0x20 || c == '\n') << r.out;
  }
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
