// The admin socket's access control with the real binaries: estated on a
// temporary directory, estatectl run as other users and groups through
// `setpriv` (util-linux), so the collector sees them through SO_PEERCRED and
// SO_PEERGROUPS exactly as it would real accounts. The uids and gids need no
// /etc/passwd or /etc/group entries. Needs root; skipped otherwise.
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

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
const std::string kSetpriv = "/usr/bin/setpriv";

// Ids unlikely to belong to anyone on a test machine.
constexpr gid_t kSocketGroup = 64900;
constexpr gid_t kViewers = 64901, kTechnicians = 64902, kAdmins = 64903;
constexpr uid_t kViewer = 64911, kTechnician = 64912, kAdmin = 64913, kUnmapped = 64914,
                kOutsider = 64915;
constexpr int kExitDenied = 77;

// What history calls a user: its name, or "uid N" without a passwd entry.
std::string ActorOf(uid_t uid) {
  struct passwd* pw = ::getpwuid(uid);
  return "user:" + (pw ? std::string(pw->pw_name) : "uid " + std::to_string(uid));
}

class AdminRoles : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "needs root: runs estatectl as other uids/gids with setpriv --reuid/--regid";
    }
    if (::access(kSetpriv.c_str(), X_OK) != 0) {
      GTEST_SKIP() << kSetpriv << " is missing (Debian package util-linux)";
    }
    // mkdtemp made it 0700: the other users must reach the socket inside.
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
    const std::string config = dir_.path() + "/estated.conf";
    std::ofstream(config) << "admin_group = " << kSocketGroup << "\n"
                          << "role.viewer = " << kViewers << "\n"
                          << "role.technician = " << kTechnicians << "\n"
                          << "role.admin = " << kAdmins << "\n"
                          << "insecure_plaintext = true\n";
    ASSERT_TRUE(collector_.Start(
        {kEstated, "--config", config, "--data-dir", dir_.path() + "/data", "--listen",
         "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()), "--admin-socket", socket_},
        log_));
    ASSERT_TRUE(WaitFor([&] { return As(0, 0, {}, {"stats"}).exit_code == 0; }))
        << testing::ReadTextFile(log_);
  }

  // estatectl as `uid` with primary group `gid` and supplementary `groups`.
  CommandResult As(uid_t uid, gid_t gid, const std::vector<gid_t>& groups,
                   std::vector<std::string> args) {
    std::vector<std::string> argv = {kSetpriv, "--reuid", std::to_string(uid), "--regid",
                                     std::to_string(gid)};
    if (groups.empty()) {
      argv.push_back("--clear-groups");
    } else {
      std::string list;
      for (gid_t g : groups) list += (list.empty() ? "" : ",") + std::to_string(g);
      argv.insert(argv.end(), {"--groups", list});
    }
    argv.insert(argv.end(), {"--", kEstatectl, "--socket", socket_});
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }
  CommandResult Viewer(std::vector<std::string> args) {
    return As(kViewer, kSocketGroup, {kViewers}, std::move(args));
  }
  CommandResult Technician(std::vector<std::string> args) {
    return As(kTechnician, kSocketGroup, {kTechnicians}, std::move(args));
  }
  CommandResult Admin(std::vector<std::string> args) {
    return As(kAdmin, kSocketGroup, {kAdmins}, std::move(args));
  }

  // A refusal: exit 77 and a message naming the role needed.
  void ExpectDenied(const CommandResult& r, const std::string& role) {
    ++denials_;
    EXPECT_EQ(r.exit_code, kExitDenied) << r.out << r.err;
    EXPECT_NE(r.err.find("permission denied"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("needs the " + role + " role"), std::string::npos) << r.err;
  }

  nlohmann::json Json(const CommandResult& r) {
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return j;
  }

  TempDir dir_;
  std::string socket_, log_;
  Daemon collector_;
  int denials_ = 0;
};

TEST_F(AdminRoles, SocketIsMode0660WithTheConfiguredGroup) {
  struct stat st {};
  ASSERT_EQ(::stat(socket_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
  EXPECT_EQ(st.st_gid, kSocketGroup);
  // A user outside that group cannot even connect, and is told which group lets users in.
  CommandResult out = As(kOutsider, kOutsider, {kViewers}, {"stats"});
  EXPECT_EQ(out.exit_code, kExitDenied) << out.err;
  EXPECT_NE(out.err.find("only root and members of group " + std::to_string(kSocketGroup)),
            std::string::npos)
      << out.err;
}

TEST_F(AdminRoles, EachRoleDoesWhatItMayAndHistoryRecordsWho) {
  // Two assets from an admin by group (not root).
  CommandResult reg =
      Admin({"register", "--class", "laptop", "--tag", "T-1", "--state", "deployed"});
  ASSERT_EQ(reg.exit_code, 0) << reg.err << testing::ReadTextFile(log_);
  ASSERT_EQ(Admin({"register", "--class", "laptop", "--tag", "T-2"}).exit_code, 0);

  // Viewer: reads everything, changes nothing.
  EXPECT_EQ(Viewer({"--json", "show", "T-1"}).exit_code, 0);
  EXPECT_EQ(Viewer({"assets"}).exit_code, 0);
  EXPECT_EQ(Viewer({"history", "T-1"}).exit_code, 0);
  EXPECT_EQ(Viewer({"policy"}).exit_code, 0);
  CommandResult viewer_out = Viewer({"checkout", "T-1", "--to", "bob"});
  ExpectDenied(viewer_out, "technician");
  EXPECT_NE(viewer_out.err.find("uid " + std::to_string(kViewer)), std::string::npos);
  EXPECT_NE(viewer_out.err.find("has the viewer role"), std::string::npos) << viewer_out.err;
  ExpectDenied(Viewer({"set", "T-1", "notes=x"}), "technician");

  // Technician: custody, notes and repair; nothing else.
  CommandResult checkout = Technician({"checkout", "T-1", "--to", "bob"});
  EXPECT_EQ(checkout.exit_code, 0) << checkout.err;
  CommandResult checkin = Technician({"checkin", "T-1"});
  EXPECT_EQ(checkin.exit_code, 0) << checkin.err;
  CommandResult repair = Technician({"state", "T-1", "in_repair", "--reason", "disk errors"});
  EXPECT_EQ(repair.exit_code, 0) << repair.err;
  EXPECT_EQ(Technician({"set", "T-1", "notes=disk swapped"}).exit_code, 0);
  ExpectDenied(Technician({"state", "T-1", "retired", "--reason", "old"}), "admin");
  ExpectDenied(Technician({"set", "T-1", "owner=carol"}), "admin");
  ExpectDenied(Technician({"approve", "software", "htop"}), "admin");
  ExpectDenied(Technician({"merge", "T-1", "T-2"}), "admin");

  // Admin: everything.
  CommandResult retire = Admin({"state", "T-1", "retired", "--reason", "beyond repair"});
  EXPECT_EQ(retire.exit_code, 0) << retire.err;
  EXPECT_EQ(Admin({"approve", "software", "htop"}).exit_code, 0);
  CommandResult merge = Admin({"merge", "T-1", "T-2"});
  EXPECT_EQ(merge.exit_code, 0) << merge.err;

  // A user in the socket's group but in no role group: refused everything.
  CommandResult unmapped = As(kUnmapped, kSocketGroup, {}, {"stats"});
  ExpectDenied(unmapped, "viewer");
  EXPECT_NE(unmapped.err.find("has no Estate role"), std::string::npos) << unmapped.err;

  // Every change names its user.
  nlohmann::json history = Json(Viewer({"--json", "history", "T-1"}));
  std::multiset<std::string> sources;
  for (const auto& e : history.at("events")) sources.insert(e.value("source", ""));
  EXPECT_GE(sources.count(ActorOf(kTechnician)), 4u) << history.dump(1);  // out, in, repair, notes
  EXPECT_GE(sources.count(ActorOf(kAdmin)), 3u) << history.dump(1);       // register, retire, merge
  EXPECT_EQ(sources.count(ActorOf(kViewer)), 0u);

  // Counted in stats and logged once each.
  EXPECT_EQ(Json(Viewer({"--json", "stats"})).at("admin_denied"), denials_);
  const std::string log = testing::ReadTextFile(log_);
  size_t lines = 0;
  for (size_t at = log.find("admin denied"); at != std::string::npos;
       at = log.find("admin denied", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, static_cast<size_t>(denials_)) << log;
  EXPECT_EQ(collector_.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace estate
