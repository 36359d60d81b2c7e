// estate-fleet-truth at a small size against a real estated (TLS, enrollment,
// a temporary store on a free loopback port): the collector's answers match the
// fleet's truth — no duplicate, joined or phantom record, no false or missed
// shadow device, no false drift, every planted port move and foreign package
// found — and the figures it prints are the ones docs/loadgen.md describes.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/collector/temp_dir.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::RunCommand;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstated = kBin + "/collector/estated";
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kFleetTruth = kBin + "/tests/loadgen/estate-fleet-truth";

class FleetTruthAgainstEstated : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreeLoopbackPort();
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
    pki_ = dir_.path() + "/pki";
    CommandResult pki = RunCommand({kEstatectl, "pki", "init", pki_, "--ip", "127.0.0.1"});
    ASSERT_EQ(pki.exit_code, 0) << pki.err;
    const std::string config = dir_.path() + "/estated.conf";
    FILE* f = std::fopen(config.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("report_rate_per_minute = 0\n", f);
    std::fclose(f);
    ASSERT_TRUE(collector_.Start(
        {kEstated, "--tls-cert", pki_ + "/collector.pem", "--tls-key", pki_ + "/collector-key.pem",
         "--enroll-secret-file", pki_ + "/enroll-secret", "--data-dir", dir_.path() + "/data",
         "--listen", "127.0.0.1:" + std::to_string(port_), "--admin-socket", socket_, "--log-level",
         "warn", "--config", config},
        log_));
    ASSERT_TRUE(testing::WaitFor([&] {
      return RunCommand({kEstatectl, "--socket", socket_, "stats"}).exit_code == 0;
    })) << testing::ReadTextFile(log_);
  }

  void TearDown() override {
    if (collector_.running()) {
      EXPECT_EQ(collector_.Stop(SIGTERM), 0) << testing::ReadTextFile(log_);
    }
  }

  CommandResult Run(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {kFleetTruth,
                                     "--collector",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--ca-file",
                                     pki_ + "/ca.pem",
                                     "--enroll-secret-file",
                                     pki_ + "/enroll-secret",
                                     "--estatectl",
                                     kEstatectl,
                                     "--admin-socket",
                                     socket_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCommand(args, std::chrono::minutes(3));
  }

  TempDir dir_;
  testing::Daemon collector_;
  uint16_t port_ = 0;
  std::string socket_, log_, pki_;
};

TEST_F(FleetTruthAgainstEstated, EveryTargetIsMetOnAFleetOfFourSubnets) {
  CommandResult r =
      Run({"--devices", "700", "--seed", "7", "--foreign-share", "0.1", "--move-share", "0.03"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err << testing::ReadTextFile(log_);
  // The summary line: figures that were really measured, not an empty fleet.
  const size_t json_at = r.out.rfind("\n{");
  ASSERT_NE(json_at, std::string::npos) << r.out;
  const auto summary = nlohmann::json::parse(
      r.out.substr(json_at + 1, r.out.find('\n', json_at + 1) - json_at - 1), nullptr, false);
  ASSERT_FALSE(summary.is_discarded()) << r.out;
  EXPECT_EQ(summary["real_devices"], 700);
  EXPECT_GT(summary["agents"].get<int>(), 300);
  EXPECT_GT(summary["phones"].get<int>(), 30);
  EXPECT_GT(summary["phone_records"].get<int>(), summary["phones"].get<int>());
  EXPECT_GT(summary["planted_moves"].get<int>(), 0);
  EXPECT_GT(summary["planted_software"].get<int>(), 10);
  EXPECT_EQ(summary["duplicates"], 0);
  EXPECT_EQ(summary["false_shadow"], 0);
  EXPECT_EQ(summary["false_drift"], 0);
  EXPECT_EQ(summary["software_found"], summary["planted_software"]);
  EXPECT_EQ(summary["moves_found"], summary["planted_moves"]);
}

TEST_F(FleetTruthAgainstEstated, RefusesAnUnknownOptionNamingTheClosest) {
  CommandResult r = Run({"--devics", "100"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--devices"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace estate
