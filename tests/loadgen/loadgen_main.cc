// estate-loadgen: simulated agents and scanners against a real estated, to
// measure ingest throughput, ack latency and the collector's cost. See
// docs/loadgen.md.
#include <cstdio>
#include <string>
#include <vector>

#include "tests/loadgen/load_runner.h"
#include "tests/loadgen/loadgen_options.h"
#include "tests/loadgen/package_pool.h"
#include "tests/loadgen/run_stats.h"
#include "tests/loadgen/simulated_fleet.h"

int main(int argc, char** argv) {
  using namespace estate::loadgen;
  auto options = ParseLoadgenOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::fprintf(stderr, "estate-loadgen: %s\n\n%s", options.status().message().c_str(),
                 LoadgenUsage());
    return 2;
  }
  if (options->show_help) {
    std::fputs(LoadgenUsage(), stdout);
    return 0;
  }
  FleetOptions fleet_options;
  fleet_options.seed = options->seed;
  fleet_options.agents = options->agents;
  fleet_options.target_packages = options->packages;
  SimulatedFleet sizing(fleet_options, BuiltinPackagePool());
  // Default: one scanner per subnet, at least 4, never more than the connections.
  fleet_options.scanners = options->scanners
                               ? options->scanners
                               : std::min(options->connections, std::max(4u, sizing.subnets()));
  SimulatedFleet fleet(fleet_options, BuiltinPackagePool());

  RunStats stats;
  RunSummary summary;
  summary.options = &*options;
  summary.stats = &stats;
  LoadRunner runner(*options, fleet, stderr);
  if (auto st = runner.Run(&stats, &summary); !st.ok()) {
    std::fprintf(stderr, "estate-loadgen: %s\n", st.ToString().c_str());
    return 1;
  }
  std::fputs(SummaryText(summary).c_str(), stdout);
  std::printf("%s\n", SummaryJson(summary).dump().c_str());
  return stats.hard_errors() == 0 ? 0 : 3;
}
