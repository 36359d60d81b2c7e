// SNMP inventory benchmark: Estate's engine against net-snmp's snmpbulkwalk.
//
// 100 real snmpd instances listen on 127.0.1.1..100; each sits behind a UDP
// relay on 127.0.2.1..100 that holds every datagram 5 ms each way (loopback
// has no latency and this kernel has no netem). Estate inventories all 100
// at once (a child process, so its CPU and peak memory are its own);
// the baseline walks the same OIDs with snmpbulkwalk, one subtree and one
// device after another, over 10 devices, scaled to 100. Then the same again
// without the delay, for CPU per value. Loopback addresses only.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "plugins/snmp/definitions.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/snmp_engine.h"
#include "plugins/snmp/standard_mibs.h"
#include "plugins/snmp/vendor_plugin.h"
#include "tests/plugins/snmp/snmpd_harness.h"
#include "tests/support/subprocess.h"

using namespace estate::plugins::snmp;
namespace v1 = estate::v1;
namespace t = estate::plugins::snmp::testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Measure {
  uint64_t requests = 0;  // SNMP requests Estate sent (its own count)
  double wall_s = 0;
  double cpu_s = 0;  // user + system of the measured processes
  long max_rss_kb = 0;
  uint64_t values = 0;
  uint64_t answered = 0;
};

// Runs argv as a child; returns its stdout and adds its CPU time and peak RSS to *m.
std::string RunMeasured(const std::vector<std::string>& argv, Measure* m) {
  estate::testing::CommandResult result =
      estate::testing::RunCommand(argv, std::chrono::minutes(10));
  m->cpu_s += result.cpu_seconds;
  m->max_rss_kb = std::max(m->max_rss_kb, result.max_rss_kb);
  return result.out;
}

std::string Addr(int net, int i) {
  return "127.0." + std::to_string(net) + "." + std::to_string(i + 1);
}

// The child: inventory the given addresses with the engine, print totals.
int EngineChild(int argc, char** argv) {
  const uint16_t port = static_cast<uint16_t>(std::stoi(argv[2]));
  std::vector<std::string> addrs(argv + 3, argv + argc);
  EngineOptions o;
  o.credentials.communities = {t::kCommunity};
  o.transport.port = port;
  o.transport.timeout_ms = 5000;
  o.transport.retries = 2;
  if (const char* c = getenv("SNMP_BENCH_CONCURRENCY")) o.concurrency = std::stoul(c);
  PluginRegistry plugins = MakeBuiltinPlugins();
  // As `scan snmp` runs: the vendor plugins and the device definitions,
  // unless SNMP_BENCH_DEFINITIONS=none (plugins only, for comparison).
  const char* defs = getenv("SNMP_BENCH_DEFINITIONS");
  if (!defs || std::strcmp(defs, "none") != 0) {
    auto set = DefinitionSet::Load(ESTATE_SOURCE_DIR "/share/snmp", "");
    if (!set.ok()) {
      std::fprintf(stderr, "snmp_bench: %s\n", set.status().ToString().c_str());
      return 1;
    }
    plugins.SetDefinitions(std::make_shared<const DefinitionSet>(std::move(*set)));
  }
  auto enterprises = EnterpriseRegistry::Load(kDefaultEnterprisesPath);
  SnmpEngine engine(o, plugins, enterprises.ok() ? &*enterprises : nullptr);
  size_t warnings = 0;
  engine.Run(addrs, [&](v1::NetworkDevice&& d) { warnings += d.warnings_size(); });
  std::printf("%zu %zu %zu %zu\n", engine.stats().values, engine.stats().answered,
              engine.stats().requests, warnings);
  return 0;
}

Measure RunEstate(const std::string& self, uint16_t port, const std::vector<std::string>& addrs,
                  bool definitions = true) {
  Measure m;
  if (!definitions) setenv("SNMP_BENCH_DEFINITIONS", "none", 1);
  std::vector<std::string> argv = {self, "--engine-child", std::to_string(port)};
  argv.insert(argv.end(), addrs.begin(), addrs.end());
  auto start = Clock::now();
  std::string out = RunMeasured(argv, &m);
  m.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  size_t warnings = 0, requests = 0;
  std::istringstream(out) >> m.values >> m.answered >> requests >> warnings;
  m.requests = requests;
  unsetenv("SNMP_BENCH_DEFINITIONS");
  if (warnings) std::printf("  (estate reported %zu warnings)\n", warnings);
  return m;
}

// snmpget of the system scalars, then one snmpbulkwalk per standard subtree.
Measure RunBaseline(uint16_t port, const std::vector<std::string>& addrs) {
  Measure m;
  auto start = Clock::now();
  for (const auto& a : addrs) {
    const std::string peer = a + ":" + std::to_string(port);
    std::vector<std::string> get = {
        "/usr/bin/snmpget", "-v2c", "-c", t::kCommunity, "-On", "-t", "5", "-r", "2", peer};
    for (const Oid& o : IdentificationOids()) get.push_back(o.ToString());
    std::string out = RunMeasured(get, &m);
    std::istringstream get_lines(out);
    std::string get_line;
    bool answered = false;
    while (std::getline(get_lines, get_line)) {
      if (get_line.starts_with(".") && get_line.find("No Such") == std::string::npos) {
        ++m.values;
        answered = true;
      }
    }
    m.answered += answered;
    for (const WalkStep& step : StandardPlan()) {
      out = RunMeasured({"/usr/bin/snmpbulkwalk", "-v2c", "-c", t::kCommunity, "-On", "-Cr25", "-t",
                         "5", "-r", "2", peer, step.root.ToString()},
                        &m);
      std::istringstream lines(out);
      std::string line;
      while (std::getline(lines, line)) {
        if (line.starts_with(".") && line.find("No Such") == std::string::npos &&
            line.find("No more variables") == std::string::npos) {
          ++m.values;
        }
      }
    }
  }
  m.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return m;
}

void Print(const char* name, const Measure& m, int devices) {
  std::printf("  %-34s %3d devices  %8.2f s wall  %7.3f s CPU  %8llu values  %6.2f us CPU/value",
              name, devices, m.wall_s, m.cpu_s, static_cast<unsigned long long>(m.values),
              m.values ? m.cpu_s * 1e6 / m.values : 0.0);
  if (m.max_rss_kb) std::printf("  peak RSS %.1f MB", m.max_rss_kb / 1024.0);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 && std::strcmp(argv[1], "--engine-child") == 0) return EngineChild(argc, argv);
  int devices = 100, baseline_devices = 10, delay_ms = 5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--devices") == 0) devices = std::stoi(argv[++i]);
    if (std::strcmp(argv[i], "--baseline-devices") == 0) baseline_devices = std::stoi(argv[++i]);
    if (std::strcmp(argv[i], "--delay-ms") == 0) delay_ms = std::stoi(argv[++i]);
  }
  if (devices < 1 || devices > 250 || baseline_devices < 1 || baseline_devices > devices) {
    std::fprintf(stderr,
                 "usage: snmp_bench [--devices N<=250] [--baseline-devices M] [--delay-ms D]\n");
    return 2;
  }
  if (!t::ProgramExists("/usr/sbin/snmpd") || !t::ProgramExists("/usr/bin/snmpbulkwalk")) {
    std::fprintf(stderr, "snmp_bench: needs snmpd and snmp (apt-get install snmpd snmp)\n");
    return 1;
  }
  char self[4096] = {};
  if (readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return 1;

  const uint16_t agent_port = t::FreeUdpPort();
  const uint16_t relay_port = t::FreeUdpPort();
  std::printf("starting %d snmpd on 127.0.1.1-%d:%u, relays (%d ms each way) on 127.0.2.x:%u\n",
              devices, devices, agent_port, delay_ms, relay_port);
  std::vector<std::unique_ptr<t::Snmpd>> agents;
  std::vector<std::unique_ptr<t::UdpRelay>> relays;
  for (int i = 0; i < devices; ++i) {
    agents.push_back(std::make_unique<t::Snmpd>());
    std::string error = agents.back()->Start(agent_port, Addr(1, i));
    if (!error.empty()) {
      std::fprintf(stderr, "snmp_bench: agent %d: %s\n", i, error.c_str());
      return 1;
    }
    relays.push_back(std::make_unique<t::UdpRelay>(Addr(2, i), relay_port, Addr(1, i), agent_port,
                                                   std::chrono::milliseconds(delay_ms)));
  }
  std::vector<std::string> direct, delayed;
  for (int i = 0; i < devices; ++i) {
    direct.push_back(Addr(1, i));
    delayed.push_back(Addr(2, i));
  }
  const std::vector<std::string> base_delayed(delayed.begin(), delayed.begin() + baseline_devices);
  const std::vector<std::string> base_direct(direct.begin(), direct.begin() + baseline_devices);

  std::printf("\nwith %d ms added each way:\n", delay_ms);
  Measure estate = RunEstate(self, relay_port, delayed);
  Print("estate (all at once)", estate, devices);
  Measure base = RunBaseline(relay_port, base_delayed);
  Print("snmpbulkwalk (sequential)", base, baseline_devices);
  const double scale = static_cast<double>(devices) / baseline_devices;
  const double base_wall = base.wall_s * scale;
  std::printf("  snmpbulkwalk scaled to %d devices: %.2f s\n", devices, base_wall);
  std::printf("  SPEEDUP estate vs sequential snmpbulkwalk: %.1fx (goal >= 10x)\n",
              base_wall / estate.wall_s);

  std::printf("\nno added delay:\n");
  Measure estate0 = RunEstate(self, agent_port, direct);
  Print("estate (all at once)", estate0, devices);
  Measure base0 = RunBaseline(agent_port, base_direct);
  Print("snmpbulkwalk (sequential)", base0, baseline_devices);
  const double e_cpu = estate0.cpu_s / std::max<uint64_t>(1, estate0.values);
  const double b_cpu = base0.cpu_s / std::max<uint64_t>(1, base0.values);
  std::printf("  CPU per value: estate %.2f us, snmpbulkwalk %.2f us, ratio %.3f (goal <= 1)\n",
              e_cpu * 1e6, b_cpu * 1e6, e_cpu / b_cpu);
  // What identification costs: the same devices with the plugins alone.
  Measure bare0 = RunEstate(self, agent_port, direct, /*definitions=*/false);
  std::printf(
      "  SNMP requests per device: estate %.1f with the definitions, %.1f with the plugins "
      "alone (+%.1f)\n",
      static_cast<double>(estate0.requests) / devices,
      static_cast<double>(bare0.requests) / devices,
      static_cast<double>(estate0.requests) / devices -
          static_cast<double>(bare0.requests) / devices);
  std::printf("  peak memory of estate: %.1f MB (goal < 50 MB)\n",
              std::max(estate.max_rss_kb, estate0.max_rss_kb) / 1024.0);
  std::printf(
      "  devices answered: estate %llu/%d, %llu/%d; values per device: estate %.0f, "
      "snmpbulkwalk %.0f\n",
      static_cast<unsigned long long>(estate.answered), devices,
      static_cast<unsigned long long>(estate0.answered), devices,
      static_cast<double>(estate0.values) / devices,
      static_cast<double>(base0.values) / baseline_devices);
  return 0;
}
