// The ARP sweep and the passive listener against real hosts: network
// namespaces on a bridge built by tests/lab/discovery_lab.sh on a test network
// that exists only inside them. Runs estate-agent inside the lab's scanner
// namespace; skips when not root or without 'ip netns'.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

namespace {

constexpr int kHosts = 24;
// Exactness tests must not depend on how busy the machine is (CI runs tests in
// parallel): more retries and a longer wait than the defaults, which the
// benchmark measures.
constexpr const char* kPatient = "--retries 2 --timeout 1000 ";

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string LabScript() { return std::string(ESTATE_SOURCE_DIR) + "/tests/lab/discovery_lab.sh"; }

class ArpLab : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (geteuid() != 0) {
      skip_reason_ = "needs root to build network namespaces";
      return;
    }
    if (RunCommand("ip netns list >/dev/null 2>&1").exit_code != 0) {
      skip_reason_ = "'ip netns' is not available";
      return;
    }
    name_ = "arplab" + std::to_string(getpid());
    manifest_path_ = "/tmp/" + name_ + ".manifest";
    const CommandResult up =
        RunCommand(LabScript() + " up --name " + name_ + " --hosts " + std::to_string(kHosts) +
                   " --manifest " + manifest_path_ + " 2>&1");
    if (up.exit_code == 77) {
      skip_reason_ = "lab cannot be built here: " + up.out;
      return;
    }
    if (up.exit_code != 0) {
      setup_error_ = "lab setup failed: " + up.out;
      return;
    }
    std::ifstream in(manifest_path_);
    std::string kind, ip, mac;
    while (in >> kind >> ip) {
      if (kind == "targets") {
        targets_ = ip;
        continue;
      }
      in >> mac;
      if (kind == "answer") answers_.insert(ip + " " + mac);
      if (kind == "silent") silent_.insert(ip);
    }
  }

  static void TearDownTestSuite() {
    if (!name_.empty()) {
      RunCommand(LabScript() + " down --name " + name_);
      std::remove(manifest_path_.c_str());
    }
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  static std::string InScanner(const std::string& command) {
    return "ip netns exec " + name_ + "-scan " + command;
  }

  static std::vector<nlohmann::json> JsonLines(const std::string& out) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
  }

  static inline std::string name_, manifest_path_, targets_, skip_reason_, setup_error_;
  static inline std::set<std::string> answers_, silent_;
};

TEST_F(ArpLab, FindsExactlyTheHostsAndMacsThatAnswer) {
  ASSERT_EQ(answers_.size(), static_cast<size_t>(kHosts - 3 + 1));  // 3 silent, h1 has 2 IPs
  const CommandResult r =
      RunCommand(InScanner(std::string(ESTATE_AGENT_PATH) +
                           " scan arp --interface scan0 --json --quiet " + kPatient + targets_));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::set<std::string> found;
  std::map<std::string, std::set<std::string>> flags;
  for (const nlohmann::json& o : JsonLines(r.out)) {
    const std::string key = o.at("ip").get<std::string>() + " " + o.at("mac").get<std::string>();
    found.insert(key);
    EXPECT_EQ(o.at("source"), "arp_sweep");
    EXPECT_EQ(o.at("interface"), "scan0");
    EXPECT_EQ(o.at("probe"), "arp");
    EXPECT_GT(o.value("rtt_us", 0), 0);
    const std::string mac = o.at("mac");
    if (mac.rfind("00:16:3e", 0) == 0) {
      EXPECT_EQ(o.value("vendor", ""), "Xensource, Inc.") << key;
      EXPECT_FALSE(o.value("mac_locally_administered", false)) << key;
    } else {
      EXPECT_TRUE(o.value("mac_locally_administered", false)) << key;
    }
    for (const auto& f : o.value("flags", nlohmann::json::array())) flags[key].insert(f);
  }
  EXPECT_EQ(found, answers_);
  for (const std::string& ip : silent_) {
    for (const std::string& f : found) EXPECT_NE(f.substr(0, f.find(' ')), ip) << "silent " << ip;
  }
  // h2 and h3 share 198.18.0.2; h1 answers for .1 and .251.
  EXPECT_EQ(flags["198.18.0.2 00:16:3e:00:00:02"], std::set<std::string>{"duplicate_ip"});
  EXPECT_EQ(flags["198.18.0.2 02:e5:7a:00:00:03"], std::set<std::string>{"duplicate_ip"});
  EXPECT_EQ(flags["198.18.0.1 02:e5:7a:00:00:01"], std::set<std::string>{"duplicate_mac"});
  EXPECT_EQ(flags["198.18.0.251 02:e5:7a:00:00:01"], std::set<std::string>{"duplicate_mac"});
  EXPECT_TRUE(flags["198.18.0.4 00:16:3e:00:00:04"].empty());
}

TEST_F(ArpLab, ProbesOnlyTheTargetsItIsGiven) {
  const CommandResult r = RunCommand(InScanner(std::string(ESTATE_AGENT_PATH) +
                                               " scan arp --interface scan0 --json --quiet "
                                               "198.18.0.4-198.18.0.6 198.18.0.23"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::set<std::string> ips;
  for (const nlohmann::json& o : JsonLines(r.out)) ips.insert(o.at("ip").get<std::string>());
  // .23 is one of the three silent hosts (h22..h24) of a 24-host lab.
  EXPECT_EQ(ips, (std::set<std::string>{"198.18.0.4", "198.18.0.5", "198.18.0.6"}));
}

TEST_F(ArpLab, ExplainsThatItNeedsCapNetRaw) {
  const CommandResult r = RunCommand(InScanner(
      "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all " +
      std::string(ESTATE_AGENT_PATH) + " scan arp --interface scan0 " + targets_ + " 2>&1"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("CAP_NET_RAW"), std::string::npos) << r.out;
}

TEST_F(ArpLab, SweepsAsAnUnprivilegedUserWithOnlyCapNetRaw) {
  const CommandResult r = RunCommand(
      InScanner("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+net_raw "
                "--ambient-caps=+net_raw " +
                std::string(ESTATE_AGENT_PATH) + " scan arp --interface scan0 --json --quiet " +
                kPatient + targets_));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::set<std::string> found;
  for (const nlohmann::json& o : JsonLines(r.out)) {
    found.insert(o.at("ip").get<std::string>() + " " + o.at("mac").get<std::string>());
  }
  EXPECT_EQ(found, answers_);
}

// A real estated, on the scanner namespace's own loopback, stores what the
// sweep streams to it.
TEST_F(ArpLab, StreamsObservationsToTheCollector) {
  const std::string dir = "/tmp/" + name_ + ".estated";
  const std::string port = std::to_string(20000 + getpid() % 20000);
  RunCommand("rm -rf " + dir + " && mkdir -p " + dir);
  // The scanner's collector settings: loopback plaintext, as estated below.
  RunCommand("printf 'insecure_plaintext = true\\nstate_dir = " + dir + "\\n' > " + dir +
             ".agent.conf");
  const CommandResult started = RunCommand(
      InScanner(std::string(ESTATED_PATH) + " --data-dir " + dir + " --listen 127.0.0.1:" + port +
                " --insecure-plaintext > " + dir + ".log 2>&1 & echo $!"));
  const std::string pid = started.out.substr(0, started.out.find('\n'));
  ASSERT_FALSE(pid.empty());
  struct Stop {
    std::string pid, dir;
    ~Stop() {
      RunCommand("kill " + pid + "; sleep 0.3; rm -rf " + dir + " " + dir + ".log " + dir +
                 ".agent.conf");
    }
  } stop{pid, dir};
  CommandResult sweep;
  for (int attempt = 0; attempt < 20; ++attempt) {  // until estated listens
    sweep = RunCommand(InScanner(
        std::string(ESTATE_AGENT_PATH) + " scan arp --interface scan0 --quiet --collector-config " +
        dir + ".agent.conf --collector 127.0.0.1:" + port + " " + kPatient + targets_ + " 2>&1"));
    if (sweep.exit_code == 0 || sweep.out.find("cannot connect") == std::string::npos) break;
    usleep(200000);
  }
  ASSERT_EQ(sweep.exit_code, 0) << sweep.out;
  const CommandResult stats =
      RunCommand(std::string(ESTATECTL_PATH) + " --socket " + dir + "/admin.sock stats --json");
  ASSERT_EQ(stats.exit_code, 0) << stats.out;
  const auto json = nlohmann::json::parse(stats.out);
  EXPECT_EQ(json.at("observation_reports"), 1);
  EXPECT_EQ(json.at("sightings"), answers_.size());
}

TEST_F(ArpLab, RefusesToScanWithoutTargets) {
  const CommandResult r =
      RunCommand(InScanner(std::string(ESTATE_AGENT_PATH) + " scan arp --interface scan0 2>&1"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("nothing is scanned by default"), std::string::npos) << r.out;
}

TEST_F(ArpLab, ListenerLearnsHostsFromTheirArpTraffic) {
  // The listener runs in the scanner namespace; two hosts then resolve the
  // scanner's address, which broadcasts their ARP requests.
  const std::string out = "/tmp/" + name_ + ".listen";
  const std::string listen =
      InScanner(std::string(ESTATE_AGENT_PATH) +
                " listen --interface scan0 --duration 3 --json --quiet > " + out + " 2>&1 &");
  ASSERT_EQ(RunCommand(listen).exit_code, 0);
  sleep(1);
  for (int host : {4, 5}) {
    RunCommand("ip netns exec " + name_ + "-h" + std::to_string(host) +
               " bash -c 'echo x > /dev/udp/198.18.0.254/9' 2>/dev/null");
  }
  sleep(3);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(out.c_str());
  std::set<std::string> learned;
  for (const nlohmann::json& o : JsonLines(text.str())) {
    EXPECT_EQ(o.at("source"), "passive_arp");
    learned.insert(o.at("ip").get<std::string>() + " " + o.at("mac").get<std::string>());
  }
  EXPECT_EQ(learned, (std::set<std::string>{"198.18.0.4 00:16:3e:00:00:04",
                                            "198.18.0.5 02:e5:7a:00:00:05"}));
}

}  // namespace
