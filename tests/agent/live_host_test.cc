// The collectors on the machine running the tests, checked against the
// system's own tools. Labelled "live".
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "agent/collectors/builtin_collectors.h"
#include "agent/collectors/interface_address_source.h"
#include "agent/inventory.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

std::string RunShell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

v1::HostFacts LiveFacts() {
  auto addresses = MakeLiveAddressSource();
  CollectContext context{HostRoot("/"), addresses.get(), true, ""};
  return CollectInventory(context, BuiltinCollectors());
}

// Other work on a shared machine may install a package or add an interface
// between the two readings: a comparison is retried a few times before it fails.
constexpr int kAttempts = 3;

TEST(LiveHost, PackageCountEqualsDpkgQuery) {
  if (RunShell("command -v dpkg-query").empty()) GTEST_SKIP() << "no dpkg-query on this host";
  // dpkg-query -W also lists packages whose files are gone (state config-files);
  // the agent reports installed ones, so count those the same way.
  const std::string query = "dpkg-query -W -f='${db:Status-Status}\\n' | grep -cx installed";
  std::string agent, expected;
  for (int attempt = 0; attempt < kAttempts && (agent.empty() || agent != expected); ++attempt) {
    v1::HostFacts facts = LiveFacts();
    expected = std::string(Trim(RunShell(query)));
    int deb = 0;
    for (const auto& p : facts.software()) deb += p.source() == "deb";
    agent = std::to_string(deb);
  }
  EXPECT_EQ(agent, expected);
  EXPECT_NE(agent, "0");
}

std::set<std::string> KernelInterfaces() {
  // `ip -o link` names each interface the kernel knows, as "N: name[@parent]: ...".
  std::set<std::string> kernel;
  const std::string links = RunShell("ip -o link show");
  for (std::string_view line : Split(links, '\n')) {
    auto parts = Split(line, ':');
    if (parts.size() < 2) continue;
    std::string_view name = Trim(parts[1]);
    kernel.insert(std::string(name.substr(0, name.find('@'))));
  }
  return kernel;
}

TEST(LiveHost, InterfacesEqualTheKernelsList) {
  if (KernelInterfaces().empty()) GTEST_SKIP() << "no ip command on this host";
  std::set<std::string> agent, kernel;
  for (int attempt = 0; attempt < kAttempts && (agent.empty() || agent != kernel); ++attempt) {
    agent.clear();
    const v1::HostFacts facts = LiveFacts();
    for (const auto& iface : facts.network().interfaces()) agent.insert(iface.name());
    kernel = KernelInterfaces();
  }
  EXPECT_EQ(agent, kernel);
}

TEST(LiveHost, ReportsTheMinimumFactSet) {
  v1::HostFacts facts = LiveFacts();
  EXPECT_FALSE(facts.hostname().empty());
  EXPECT_FALSE(facts.machine_id().empty());
  EXPECT_FALSE(facts.kernel().empty());
  EXPECT_FALSE(facts.os().name().empty());
  EXPECT_GT(facts.cpu().logical(), 0u);
  EXPECT_GT(facts.memory().total_bytes(), 0u);
  bool loopback_address = false;
  for (const auto& iface : facts.network().interfaces()) {
    for (const auto& a : iface.addresses()) loopback_address |= a.address() == "127.0.0.1";
  }
  EXPECT_TRUE(loopback_address);
}

}  // namespace
}  // namespace estate::agent
