// SimulatedFleet: the agents and scanners estate-loadgen plays, each a pure
// function of (seed, index). Agent i has its own machine-id, DMI UUID and
// serial, host name and NIC MACs (unique within one seed, so every agent is
// exactly one asset), realistic hardware (laptops, desktops, servers, VMs) and
// about 1,500 Debian packages drawn from the shared pool. Agents live 200 to a
// /24 (10.a.b.0/24); a scanner's report is one sweep of one such subnet: the
// agents in it plus unknown devices (printers, phones, cameras, randomized
// MACs), optionally with a switch's forwarding table.
//
// What changes over time (revisions: package upgrades, installs, removals,
// uptime, free memory) lives in a small AgentState the caller owns, so 100,000
// agents cost a few MB, not their full facts. Const methods are thread-safe.
#ifndef ESTATE_TESTS_LOADGEN_SIMULATED_FLEET_H_
#define ESTATE_TESTS_LOADGEN_SIMULATED_FLEET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/v1/frame.pb.h"
#include "tests/loadgen/install_history.h"
#include "tests/loadgen/package_pool.h"

namespace estate::loadgen {

// A package whose state differs from the agent's revision-0 install.
struct PackageOverride {
  uint32_t pool_index = 0;
  bool installed = false;
  uint16_t upgrades = 0;          // security updates applied since revision 0
  uint32_t changed_revision = 0;  // its install_time is that revision's time
};

// Per-agent mutable state, owned by the caller.
struct AgentState {
  uint32_t revision = 0;
  std::vector<PackageOverride> overrides;  // sorted by pool_index
};

struct FleetOptions {
  uint64_t seed = 1;
  uint32_t agents = 1000;
  uint32_t target_packages = 1500;  // mean package count per agent
  uint32_t scanners = 1;
};

inline constexpr uint32_t kAgentsPerSubnet = 200;

class SimulatedFleet {
 public:
  SimulatedFleet(FleetOptions options, const std::vector<PoolPackage>& pool);

  uint32_t agents() const { return options_.agents; }
  uint32_t scanners() const { return options_.scanners; }
  uint32_t subnets() const { return (options_.agents + kAgentsPerSubnet - 1) / kAgentsPerSubnet; }

  // Hello identity of agent `agent`.
  std::string AgentNodeId(uint32_t agent) const;
  std::string AgentHostname(uint32_t agent) const;
  // The agent's facts in `state`.
  void BuildFacts(uint32_t agent, const AgentState& state, v1::HostFacts* facts) const;
  // All of BuildFacts but `software`, which only depends on the revision
  // through `system` and `memory`: what ReportEncoder wraps its own
  // software bytes in.
  void BuildFactsExceptSoftware(uint32_t agent, uint32_t revision, v1::HostFacts* facts) const;

  // The software of the agent in `state`, in canonical (pool) order: calls
  // `visit(pool_index, override)` for each installed package (`override` null
  // for a package as installed before revision 0).
  template <typename Visit>
  void ForEachInstalledPackage(uint32_t agent, const AgentState& state, Visit&& visit) const {
    auto override = state.overrides.begin();
    for (uint32_t i = 0; i < pool_.size(); ++i) {
      const PackageOverride* o = nullptr;
      if (override != state.overrides.end() && override->pool_index == i) o = &*override++;
      if (o ? o->installed : InitiallyInstalled(agent, i)) visit(i, o);
    }
  }
  // The apt transactions that installed the agent's packages before revision 0.
  InstallHistory History(uint32_t agent) const { return InstallHistory(history_options_, agent); }
  // What `Package.install_time` says for a package: its history's time, or
  // the time of the revision that last changed it.
  int64_t PackageInstallTime(const InstallHistory& history, uint32_t pool_index,
                             const PackageOverride* override) const;
  // The version of a pool package after `upgrades` security updates.
  std::string PackageVersion(uint32_t pool_index, uint32_t upgrades) const;
  const std::vector<PoolPackage>& pool() const { return pool_; }
  // Moves `state` to its next revision (a few upgrades, sometimes an install or
  // a removal, new uptime and free memory) and fills the DeltaReport body that
  // turns the previous facts into the new ones: software as keyed changes,
  // `system` and `memory` replaced. Sequence numbers are the caller's.
  void AdvanceRevision(uint32_t agent, AgentState* state, v1::DeltaReport* delta) const;

  // The address a scanner sees for the agent: its primary NIC.
  struct Station {
    std::string ip;
    std::string mac;
    std::string vendor;
    std::string hostname;
  };
  Station PrimaryStation(uint32_t agent) const;

  std::string ScannerNodeId(uint32_t scanner) const;
  std::string ScannerHostname(uint32_t scanner) const;
  // The subnet a scanner sweeps in its `round`-th report (scanners take turns).
  uint32_t ScannerSubnet(uint32_t scanner, uint64_t round) const;
  // One sweep of `subnet`: ARP sightings of its agents and its unknown devices,
  // plus, with `with_fdb`, the subnet switch's forwarding table (SNMP_FDB
  // sightings with switch ports) and its SNMP inventory.
  void BuildObservations(uint32_t subnet, int64_t now, bool with_fdb,
                         v1::ObservationReport* report) const;
  // Unknown (agent-less) devices in `subnet`.
  uint32_t UnknownDevices(uint32_t subnet) const;

 private:
  bool InitiallyInstalled(uint32_t agent, uint32_t pool_index) const;
  // `history` may be null when `override` changed the package after revision 0.
  void FillPackage(uint32_t agent, uint32_t pool_index, const PackageOverride* override,
                   const InstallHistory* history, v1::Package* out) const;
  void FillSystem(uint32_t agent, uint32_t revision, v1::SystemFacts* out) const;
  void FillMemory(uint32_t agent, uint32_t revision, v1::MemoryFacts* out) const;
  uint64_t SubnetHash(uint32_t subnet, uint64_t what) const;

  FleetOptions options_;
  const std::vector<PoolPackage>& pool_;
  std::vector<uint32_t> optional_packages_;  // pool indices that are not core
  uint32_t inclusion_per_million_ = 0;       // chance an optional package is installed
  InstallHistoryOptions history_options_;
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_SIMULATED_FLEET_H_
