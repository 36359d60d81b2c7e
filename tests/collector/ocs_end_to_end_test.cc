// The real Debian ocsinventory-agent reporting this machine to estated's
// inventory listener on loopback: its zlib PROLOG and INVENTORY exchange,
// HTTP basic auth after the listener's challenge (LWP answers a challenge of
// the configured realm only; the agent takes its user and password base64-encoded), a repeated run
// that changes nothing, and wrong credentials refused. Everything the agent writes goes to the
// test's directory (--basevardir, --nolocal over the packaged configuration's local=).
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "tests/collector/inventory_collector.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::ReadTextFile;
using testing::RunCommand;

const std::string kOcsAgent = "/usr/bin/ocsinventory-agent";

class OcsAgent : public testing::InventoryCollector {
 protected:
  // The agent base64-decodes --user and --password before use
  // (Ocsinventory::Agent::Encrypt::getClearText): they are given encoded.
  static std::string Base64(const std::string& text) {
    CommandResult r = RunCommand({"/usr/bin/sh", "-c", "printf %s \"$0\" | base64 -w0", text});
    return r.out;
  }

  CommandResult RunAgent(const std::string& password) {
    return RunCommand(
        {kOcsAgent, "--server",
         "http://127.0.0.1:" + std::to_string(inventory_port_) + "/ocsinventory", "--user",
         Base64("estate"), "--password", Base64(password), "--realm", "Estate inventory",
         "--basevardir", dir_.path() + "/ocs", "--nolocal", "--info"},
        std::chrono::seconds(240));
  }

  // Installed packages as the agent counts them (dpkg's status " installed").
  static size_t InstalledPackages() {
    CommandResult dpkg = RunCommand({"/usr/bin/dpkg-query", "-W", "-f", "${Status}\\n"});
    size_t n = 0;
    for (size_t at = 0; (at = dpkg.out.find("ok installed\n", at)) != std::string::npos; ++at) {
      ++n;
    }
    return n;
  }

  nlohmann::json Agent(const std::string& node_id) {
    const nlohmann::json agents = Json({"agents"});
    for (const auto& a : agents.at("agents")) {
      if (a.at("node_id") == node_id) return a;
    }
    return nullptr;
  }
};

TEST_F(OcsAgent, RealAgentReportsThisMachineOnceAndWrongCredentialsAreRefused) {
  if (::access(kOcsAgent.c_str(), X_OK) != 0) {
    GTEST_SKIP() << "ocsinventory-agent not installed (scripts/deps/inventory.txt)";
  }
  CommandResult first = RunAgent(testing::kInventoryToken);
  ASSERT_EQ(first.exit_code, 0) << first.err << ReadTextFile(log_);
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  const std::string hostname(host, ::strcspn(host, "."));
  nlohmann::json asset = Json({"show", hostname});
  ASSERT_TRUE(asset.contains("id")) << asset << ReadTextFile(log_);
  const std::string id = asset.at("id");
  ASSERT_EQ(asset.at("sources").size(), 1u);
  EXPECT_EQ(asset.at("sources")[0].at("kind"), "ocs");
  const std::string node = asset.at("sources")[0].at("node_id");
  EXPECT_EQ(asset.at("source_versions").at(node), "2.10.0");
  EXPECT_EQ(asset.at("software_count"), InstalledPackages());
  // Hardware and OS as this machine has them.
  EXPECT_GT(asset.value("memory_bytes", 0ull), 0ull) << asset;
  EXPECT_GT(asset.value("cpu_logical", 0ull), 0ull) << asset;
  // Its interfaces (a container's MACs are locally administered: no identity, still facts).
  EXPECT_FALSE(asset.at("facts").at(node).at("network").at("interfaces").empty()) << asset;
  // The OS by os-release's PRETTY_NAME, its version by VERSION_ID (or
  // /etc/debian_version's finer one, as the agent reads it on Debian).
  const std::string release = "\n" + ReadTextFile("/etc/os-release");
  const std::string key = "\nPRETTY_NAME=";
  const size_t at = release.find(key);
  ASSERT_NE(at, std::string::npos) << release;
  std::string pretty =
      release.substr(at + key.size(), release.find('\n', at + 1) - at - key.size());
  pretty.erase(std::remove(pretty.begin(), pretty.end(), '"'), pretty.end());
  EXPECT_EQ(asset.at("os"), pretty);
  EXPECT_FALSE(asset.at("facts").at(node).at("os").value("version", "").empty())
      << asset.at("facts").at(node).at("os");
  const nlohmann::json agent = Agent(node);
  ASSERT_FALSE(agent.is_null());
  EXPECT_EQ(agent.at("kind"), "ocs");
  EXPECT_EQ(agent.at("version"), "2.10.0");

  // The same machine again (the agent keeps its DEVICEID in --basevardir):
  // no new asset, no history.
  const size_t history = Json({"history", id}).at("events").size();
  const size_t assets = Json({"assets"}).at("assets").size();
  CommandResult again = RunAgent(testing::kInventoryToken);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json({"history", id}).at("events").size(), history);
  EXPECT_EQ(Json({"assets"}).at("assets").size(), assets);
  EXPECT_EQ(Json({"show", id}).at("software_count"), InstalledPackages());

  // A wrong password: the agent's PROLOG gets 401 and it gives up.
  CommandResult refused = RunAgent("not-the-token");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("401"), std::string::npos) << refused.err;
  EXPECT_NE(ReadTextFile(log_).find("inventory refused"), std::string::npos) << ReadTextFile(log_);
}

}  // namespace
}  // namespace estate
