// Issue 25 in a real network: a host namespace on the lab bridge
// (tests/lab/discovery_lab.sh, a test network that exists only inside the
// lab's namespaces) runs the real agent, whose only NIC is a veth with a
// locally administered MAC — as in a container or a VM. The real ARP scanner
// sweeps the lab. Both report to a real estated listening on the scanner
// namespace's lab address (TLS, enrollment). The host must be one asset, not
// an agent asset plus a shadow twin. Needs root and 'ip netns'; skips otherwise.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::RunCommand;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstated = kBin + "/collector/estated";
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kAgent = kBin + "/agent/estate-agent";
const std::string kLab = std::string(ESTATE_SOURCE_DIR) + "/tests/lab/discovery_lab.sh";
const std::string kIp = "/bin/ip";
constexpr int kHosts = 4;  // h1, h3: locally administered MACs; h2, h4: Xensource OUI

class IdentityLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to build network namespaces";
    if (RunCommand({kIp, "netns", "list"}).exit_code != 0) {
      GTEST_SKIP() << "'ip netns' is not available";
    }
    name_ = "idlab" + std::to_string(getpid());
    dir_ = "/tmp/" + name_;
    ASSERT_EQ(RunCommand({"/bin/mkdir", "-p", dir_}).exit_code, 0);
    const CommandResult up = RunCommand({"/bin/bash", kLab, "up", "--name", name_, "--hosts",
                                         std::to_string(kHosts), "--manifest", dir_ + "/manifest"});
    if (up.exit_code == 77) GTEST_SKIP() << "lab cannot be built here: " << up.err;
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    lab_up_ = true;
    std::ifstream in(dir_ + "/manifest");
    std::string kind, ip, mac;
    while (in >> kind >> ip) {
      if (kind == "targets") {
        targets_ = ip;
        continue;
      }
      in >> mac;
      if (kind == "answer") answers_[mac] = ip;
      if (kind == "scanner") scanner_ip_ = ip;
    }
    ASSERT_FALSE(scanner_ip_.empty());
  }

  void TearDown() override {
    if (collector_.running()) collector_.Stop(SIGTERM);
    if (lab_up_) RunCommand({"/bin/bash", kLab, "down", "--name", name_});
    if (!dir_.empty()) RunCommand({"/bin/rm", "-rf", dir_});
  }

  std::vector<std::string> InNamespace(const std::string& ns, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {kIp, "netns", "exec", name_ + "-" + ns});
    return argv;
  }

  nlohmann::json CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), {kEstatectl, "--socket", dir_ + "/admin.sock", "--json"});
    CommandResult r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  std::string name_, dir_, targets_, scanner_ip_;
  std::map<std::string, std::string> answers_;  // MAC -> IP
  bool lab_up_ = false;
  testing::Daemon collector_;
};

TEST_F(IdentityLab, AgentOnAVethAndItsArpSightingAreOneAsset) {
  // The collector on the scanner namespace's lab address, with TLS.
  const std::string pki = dir_ + "/pki";
  ASSERT_EQ(RunCommand({kEstatectl, "pki", "init", pki, "--ip", scanner_ip_}).exit_code, 0);
  std::ofstream(dir_ + "/estated.conf") << "tls_cert = " << pki << "/collector.pem\n"
                                        << "tls_key = " << pki << "/collector-key.pem\n"
                                        << "enroll_secret_file = " << pki << "/enroll-secret\n";
  const std::string endpoint = scanner_ip_ + ":" + std::to_string(20000 + getpid() % 20000);
  ASSERT_TRUE(collector_.Start(
      InNamespace("scan",
                  {kEstated, "--config", dir_ + "/estated.conf", "--data-dir", dir_ + "/data",
                   "--listen", endpoint, "--admin-socket", dir_ + "/admin.sock"}),
      dir_ + "/estated.log"));
  ASSERT_TRUE(testing::WaitFor([&] {
    return RunCommand({kEstatectl, "--socket", dir_ + "/admin.sock", "stats"}).exit_code == 0;
  })) << testing::ReadTextFile(dir_ + "/estated.log");

  // The real agent in host h1: its only NIC is the veth h1, 02:e5:7a:00:00:01.
  const std::string h1_mac = "02:e5:7a:00:00:01";
  ASSERT_EQ(answers_.count(h1_mac), 1u);
  CommandResult push = RunCommand(InNamespace(
      "h1",
      {kAgent, "push", "--collector", endpoint, "--ca-file", pki + "/ca.pem", "--node-id", "lab-h1",
       "--node-key-file", dir_ + "/h1.key", "--enroll-secret-file", pki + "/enroll-secret"}));
  ASSERT_EQ(push.exit_code, 0) << push.out << push.err
                               << testing::ReadTextFile(dir_ + "/estated.log");
  const nlohmann::json agent_asset = CtlJson({"show", h1_mac});
  const std::string asset = agent_asset.at("id");

  // The real ARP scanner sweeps the lab and reports every host it finds.
  std::ofstream(dir_ + "/scanner.conf") << "ca_file = " << pki << "/ca.pem\n"
                                        << "enroll_secret_file = " << pki << "/enroll-secret\n"
                                        << "state_dir = " << dir_ << "\n";
  CommandResult sweep =
      RunCommand(InNamespace("scan", {kAgent, "scan", "arp", "--interface", "scan0", "--quiet",
                                      "--collector-config", dir_ + "/scanner.conf", "--collector",
                                      endpoint, "--retries", "2", "--timeout", "1000", targets_}));
  ASSERT_EQ(sweep.exit_code, 0) << sweep.out << sweep.err;

  const nlohmann::json record = CtlJson({"show", h1_mac});
  EXPECT_EQ(record.at("id"), asset);
  std::set<std::string> kinds;
  for (const auto& s : record.at("sources")) kinds.insert(s.at("kind").get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"agent", "scanner"})) << record.dump();
  // One asset per answering station: no shadow twin of the agent's host.
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), answers_.size());
  const nlohmann::json shadow = CtlJson({"shadow", "--devices"});
  for (const auto& device : shadow.at("devices")) {
    EXPECT_NE(device.at("mac"), h1_mac) << "the agent's host is listed as shadow IT";
  }
}

}  // namespace
}  // namespace estate
