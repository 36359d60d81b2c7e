// `estate-agent scan snmp` as a user runs it: the command function itself
// (what agent/main.cc calls), its JSON on stdout and its reports to a real estated.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "agent/commands/commands.h"
#include "estate/option_table.h"
#include "plugins/scanner_command.h"
#include "tests/plugins/snmp/snmpd_harness.h"
#include "tests/support/subprocess.h"

namespace estate::plugins::snmp {
namespace {

const std::string kFixtures = ESTATE_SOURCE_DIR "/tests/fixtures/";

// Runs the command with stdout captured; returns (exit code, stdout).
std::pair<int, std::string> Scan(const std::vector<std::string>& args) {
  std::fflush(stdout);
  char path[] = "/tmp/estate-scan-out-XXXXXX";
  int fd = mkstemp(path);
  int saved = dup(1);
  dup2(fd, 1);
  int rc = estate::plugins::RunSnmpScanCommand(args);
  std::fflush(stdout);
  std::cout.flush();
  dup2(saved, 1);
  close(saved);
  close(fd);
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  unlink(path);
  return {rc, out.str()};
}

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> devices;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) devices.push_back(nlohmann::json::parse(line));
  }
  return devices;
}

TEST(SnmpScanCommand, RejectsMissingTargetsAndBadOptions) {
  EXPECT_EQ(Scan({}).first, 2);
  EXPECT_EQ(Scan({"--port", "0", "127.0.0.1"}).first, 2);
  EXPECT_EQ(Scan({"--version", "v3", "127.0.0.1"}).first, 2);  // no user
  EXPECT_EQ(
      Scan({"--version", "v3", "--v3-user", "u", "--auth-password", "short", "127.0.0.1"}).first,
      2);
  EXPECT_EQ(Scan({"10.0.0.0/8"}).first, 2);  // larger than a /16
  EXPECT_EQ(Scan({"--bogus"}).first, 2);
}

// One table declares the options: the parser refuses a typo naming the
// option meant, and the man page lists exactly the table's options.
TEST(SnmpScanCommand, OptionsComeFromOneTableThatTheManPageMatches) {
  auto parsed = ParseOptions({"--comunity", "x", "127.0.0.1"}, SnmpScanOptions());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "unknown option '--comunity' (did you mean '--community'?)");
  EXPECT_EQ(Scan({"--comunity", "x", "127.0.0.1"}).first, 2);
  EXPECT_EQ(Scan({"--port", "161", "--port", "162", "127.0.0.1"}).first, 2);  // not silently last

  std::set<std::string> table;
  for (const OptionRow& row : SnmpScanOptions()) table.insert(row.name);
  const std::string man = estate::testing::ReadTextFile(ESTATE_SOURCE_DIR "/man/estate-agent.8");
  const size_t begin = man.find(".B scan snmp\n");
  ASSERT_NE(begin, std::string::npos);
  const size_t end = man.find("\n.TP\n", begin);
  const std::string section = man.substr(begin, end - begin);
  std::set<std::string> documented;
  static const std::regex kOption(R"(\\-\\-([a-z0-9]+(\\-[a-z0-9]+)*))");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), kOption);
       it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[0].str();
    std::string plain;
    for (size_t i = 0; i < name.size(); ++i) {
      if (name[i] != '\\') plain += name[i];
    }
    documented.insert(plain);
  }
  EXPECT_EQ(documented, table);
}

TEST(SnmpScanCommand, WalkFilePrintsOneJsonObjectWithEveryRequiredKey) {
  auto [rc, out] = Scan({"--walk", kFixtures + "third_party/snmpsim/linux.snmpwalk", "--json"});
  ASSERT_EQ(rc, 0);
  auto devices = Lines(out);
  ASSERT_EQ(devices.size(), 1u);
  const auto& d = devices[0];
  for (const char* key :
       {"ip", "sys_name", "sys_descr", "sys_object_id", "vendor", "type", "model", "serial",
        "firmware", "interfaces", "fdb", "neighbors", "software", "warnings"}) {
    EXPECT_TRUE(d.contains(key)) << key;
  }
  EXPECT_EQ(d["sys_name"], "new system name");
  EXPECT_EQ(d["type"], "server");
  ASSERT_EQ(d["interfaces"].size(), 2u);
  EXPECT_EQ(d["interfaces"][1]["name"], "eth0");
  EXPECT_EQ(d["interfaces"][1]["mac"], "00:12:79:62:f9:40");
  EXPECT_EQ(d["interfaces"][1]["oper_status"], "up");
  ASSERT_EQ(d["warnings"].size(), 1u);  // the file's out-of-order tail
}

TEST(SnmpScanCommand, SnmprecRecordingOfACiscoSwitch) {
  auto [rc, out] = Scan({"--snmprec", kFixtures + "third_party/librenms/ios_c3560.snmprec"});
  ASSERT_EQ(rc, 0);
  auto devices = Lines(out);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0]["vendor"], "Cisco");
  EXPECT_EQ(devices[0]["model"], "WS-C3560-48TS-S");
  EXPECT_EQ(devices[0]["serial"], "CAT0912N0CU");
}

class ScanCommandLive : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error = snmpd_.Start();
    if (!error.empty()) GTEST_SKIP() << "needs a real snmpd: " << error;
  }
  testing::Snmpd snmpd_;
};

TEST_F(ScanCommandLive, ScansNamedLoopbackTargetsWithACommunityListFromAConfigFile) {
  const std::string conf = "/tmp/estate-snmp-test-" + std::to_string(getpid()) + ".conf";
  {
    std::ofstream f(conf);
    f << "[snmp]\ncommunities = wrong, " << testing::kCommunity << "\nport = " << snmpd_.port()
      << "\ntimeout_ms = 300\nretries = 0\n";
  }
  auto [rc, out] = Scan({"--config", conf, "127.0.0.1", "127.0.0.2"});
  std::filesystem::remove(conf);
  ASSERT_EQ(rc, 0);
  auto devices = Lines(out);
  ASSERT_EQ(devices.size(), 2u);
  int answered = 0;
  for (const auto& d : devices) {
    if (d["ip"] == "127.0.0.1") {
      ++answered;
      EXPECT_EQ(d["sys_name"], testing::kSysName);
      EXPECT_GT(d["software"].size(), 0u);
      EXPECT_EQ(d["warnings"].size(), 0u);
    } else {
      EXPECT_EQ(d["ip"], "127.0.0.2");
      EXPECT_EQ(d["warnings"].size(), 1u);
    }
  }
  EXPECT_EQ(answered, 1);
}

// Needs estated and estatectl: from this build tree, or ESTATED / ESTATECTL.
TEST_F(ScanCommandLive, StreamsDevicesToARealEstated) {
  auto find = [](const char* env, const std::string& built) {
    const char* e = std::getenv(env);
    return std::string(e ? e : built);
  };
  const std::string estated = find("ESTATED", ESTATE_BINARY_DIR "/collector/estated");
  const std::string estatectl = find("ESTATECTL", ESTATE_BINARY_DIR "/collector/estatectl");
  if (!testing::ProgramExists(estated) || !testing::ProgramExists(estatectl)) {
    GTEST_SKIP() << "estated/estatectl not built in this tree (set ESTATED and ESTATECTL)";
  }
  const std::string dir = "/tmp/estate-snmp-collector-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const uint16_t port = estate::testing::FreeLoopbackPort();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  // The scanner's collector settings: loopback plaintext, as estated below.
  const std::string config = dir + "/agent.conf";
  std::ofstream(config) << "insecure_plaintext = true\nstate_dir = " << dir << "\n";
  const std::string daemon_log = dir + "/estated.log";
  pid_t pid = fork();
  if (pid == 0) {
    int log = open(daemon_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(log, 1);
    dup2(log, 2);
    execl(estated.c_str(), estated.c_str(), "--data-dir", dir.c_str(), "--listen", listen.c_str(),
          "--insecure-plaintext", nullptr);
    _exit(127);
  }
  int rc = 1;
  // Up to 20 s: estated starts in well under a second, but CI runs this
  // beside other suites on two cores.
  for (int i = 0; i < 200 && rc != 0; ++i) {
    usleep(100000);
    rc = Scan({"--community", testing::kCommunity, "--port", std::to_string(snmpd_.port()),
               "--collector", listen, "--collector-config", config, "127.0.0.1"})
             .first;
  }
  EXPECT_EQ(rc, 0) << "estated said:\n" << estate::testing::ReadTextFile(daemon_log);
  std::string sightings =
      testing::RunCommand({estatectl, "--socket", dir + "/admin.sock", "--json", "sightings"});
  // The collector keeps the device's own inventory; `show` lists it.
  const std::string shown_json = testing::RunCommand(
      {estatectl, "--socket", dir + "/admin.sock", "--json", "show", "127.0.0.1"});
  const std::string shown =
      testing::RunCommand({estatectl, "--socket", dir + "/admin.sock", "show", "127.0.0.1"});
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(dir);
  EXPECT_NE(sightings.find("127.0.0.1"), std::string::npos) << sightings;
  EXPECT_NE(sightings.find(testing::kSysName), std::string::npos) << sightings;
  // snmpd publishes this host's processors (hrDeviceProcessor rows).
  auto shown_device = nlohmann::json::parse(shown_json, nullptr, false);
  ASSERT_TRUE(shown_device.is_object()) << shown_json;
  ASSERT_TRUE(shown_device.contains("snmp")) << shown_json;
  EXPECT_FALSE(shown_device["snmp"].value("processors", nlohmann::json::array()).empty())
      << shown_json;
  EXPECT_FALSE(shown_device["snmp"].value("interfaces", nlohmann::json::array()).empty());
  EXPECT_FALSE(shown_device["snmp"].contains("software"));  // packages are not kept there
  EXPECT_NE(shown.find("Processors (SNMP)"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Interfaces (SNMP)"), std::string::npos) << shown;
}

}  // namespace
}  // namespace estate::plugins::snmp
