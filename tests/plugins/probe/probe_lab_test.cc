// ICMP and TCP probes against namespace hosts built by tests/lab/discovery_lab.sh;
// reverse DNS comes from the lab's own hosts file. Skips when not root or
// without 'ip netns'.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

int Shell(const std::string& command, std::string* out = nullptr) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
    if (out) out->append(buf, n);
  }
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ProbeLab, FindsHostsByIcmpOrTcpAndNamesThem) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to build network namespaces";
  if (Shell("ip netns list >/dev/null 2>&1") != 0) GTEST_SKIP() << "'ip netns' is not available";
  const std::string lab = std::string(ESTATE_SOURCE_DIR) + "/tests/lab/discovery_lab.sh";
  const std::string name = "probelab" + std::to_string(getpid());
  std::string setup;
  const int up = Shell(
      lab + " up --name " + name + " --hosts 8 --manifest /tmp/" + name + ".manifest 2>&1", &setup);
  struct Teardown {
    std::string command;
    ~Teardown() { Shell(command); }
  } teardown{lab + " down --name " + name + "; rm -f /tmp/" + name + ".manifest"};
  if (up == 77) GTEST_SKIP() << setup;
  ASSERT_EQ(up, 0) << setup;
  // h5 ignores echo requests: only its refused TCP connect shows it.
  ASSERT_EQ(Shell("ip netns exec " + name +
                  "-h5 sh -c 'echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all'"),
            0);

  std::string out;
  ASSERT_EQ(Shell("ip netns exec " + name + "-scan " + ESTATE_AGENT_PATH +
                      " scan probe --json --quiet --ports 22 --timeout 500 198.18.0.1-198.18.0.8",
                  &out),
            0)
      << out;
  std::map<std::string, std::pair<std::string, std::string>> found;  // ip -> (probe, name)
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const auto o = nlohmann::json::parse(line);
    found[o.at("ip")] = {o.at("probe"), o.value("hostname", "")};
  }
  // .3 is unused (h3 shares .2), h6..h8 are the silent hosts.
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"198.18.0.1", {"icmp", "h1.lab.test"}},
      {"198.18.0.2", {"icmp", "h2.lab.test"}},
      {"198.18.0.4", {"icmp", "h4.lab.test"}},
      {"198.18.0.5", {"tcp/22", "h5.lab.test"}},
  };
  EXPECT_EQ(found, expected);
}

}  // namespace
