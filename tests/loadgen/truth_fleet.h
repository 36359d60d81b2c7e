// TruthFleet: a fleet whose truth is known, for estate-fleet-truth
// (docs/loadgen.md, "Ground truth"). Every real device is listed with what it
// is (physical host, KVM or OpenStack VM, container, phone, printer, switch,
// unmanaged device), whether an agent runs on it, every MAC it ever shows
// (a phone's rotating ones included), the switch port it is plugged into, the
// foreign packages planted on it and the changes planted later (a port move, a
// package installed from outside the distribution). From that truth it builds
// what the agents and the scanners would report: full reports, deltas and one
// sweep per subnet and round (ARP, passive DHCP, the switch's SNMP inventory
// with its forwarding and ARP tables, printers' SNMP inventories).
//
// A pure function of (seed, device count); immutable after construction, so
// const methods are thread-safe.
#ifndef ESTATE_TESTS_LOADGEN_TRUTH_FLEET_H_
#define ESTATE_TESTS_LOADGEN_TRUTH_FLEET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/v1/frame.pb.h"
#include "tests/loadgen/package_pool.h"

namespace estate::loadgen {

enum class TruthKind {
  kPhysical,     // a server or workstation, burned-in MAC, an agent; some with docker0
  kKvmVm,        // 52:54:00:… (locally administered), an agent
  kOpenStackVm,  // fa:16:3e:… (locally administered), an agent
  kContainer,    // macvlan 02:42:… on the LAN, an agent
  kPhone,        // no agent, a new random locally administered MAC every round
  kPrinter,      // no agent, SNMP inventory with a serial
  kSwitch,       // no agent, the subnet's access switch (FDB, ARP table)
  kUnmanaged,    // no agent: cameras, IoT boards, a visitor's laptop
};
const char* TruthKindName(TruthKind kind);

// A package the truth puts on a host from outside the distribution archive.
struct PlantedPackage {
  std::string name;
  std::string version;
  std::string origin;  // "local", "Google LLC/stable", ...
  std::string publisher;
  bool in_delta = false;  // installed by the host's first delta, not there at its full report
};

struct TruthDevice {
  TruthKind kind = TruthKind::kPhysical;
  uint32_t subnet = 0;
  std::string hostname;
  std::string ip;
  // The MAC the device shows on the LAN; a phone's is the one of round 0.
  std::string mac;
  std::string serial;
  std::string vendor;  // OUI vendor the scanner resolves
  uint32_t port = 0;   // access-switch port (1-48)
  // Round from which the device sits on `moved_port` (a planted move), 0: never.
  uint32_t move_round = 0;
  uint32_t moved_port = 0;
  std::vector<PlantedPackage> foreign;
  bool docker_bridge = false;  // a host with docker0 (172.17.0.1, 02:42:…)
  bool agent() const { return kind <= TruthKind::kContainer; }
};

struct TruthFleetOptions {
  uint64_t seed = 1;
  uint32_t devices = 400;
  uint32_t rounds = 3;          // scanner sweeps per subnet
  uint32_t deltas = 2;          // delta reports per agent after its full report
  uint32_t packages = 120;      // distribution packages per host (about)
  double foreign_share = 0.04;  // hosts with planted foreign packages
  double move_share = 0.01;     // devices whose port moves in the last round
};

inline constexpr uint32_t kTruthDevicesPerSubnet = 190;

class TruthFleet {
 public:
  TruthFleet(TruthFleetOptions options, const std::vector<PoolPackage>& pool);

  const TruthFleetOptions& options() const { return options_; }
  const std::vector<TruthDevice>& devices() const { return devices_; }
  uint32_t subnets() const { return subnets_; }
  // The MAC a phone shows in `round` (others: always `mac`), and its address then.
  std::string MacInRound(uint32_t device, uint32_t round) const;
  std::string IpInRound(uint32_t device, uint32_t round) const;
  // The port the device sits on in `round`.
  uint32_t PortInRound(uint32_t device, uint32_t round) const;

  // Every MAC the device ever shows or reports (a phone's rotations, a host's
  // docker0, a switch's ports).
  std::vector<std::string> AllMacs(uint32_t device) const;
  std::string DockerBridgeMac(uint32_t device) const;
  // The MAC of port `port` (0: the base MAC) of `subnet`'s switch.
  static std::string SwitchInterfaceMac(uint32_t subnet, uint32_t port);

  std::string NodeId(uint32_t device) const;
  // A subnet has two scanners, each its own node reporting in its own time:
  // kArpStream (ARP sweep, passive DHCP) and kSnmpStream (the switch's and the
  // printers' SNMP inventories, the switch's forwarding and ARP tables).
  static constexpr uint32_t kArpStream = 0, kSnmpStream = 1;
  std::string ScannerNodeId(uint32_t subnet, uint32_t stream) const;

  // The agent's facts at `revision` (0: its full report; r > 0: after its r-th
  // delta), and the delta from revision - 1 to `revision` (uptime and free
  // memory replaced; the first delta installs the host's delta-planted packages).
  void BuildFacts(uint32_t device, uint32_t revision, v1::HostFacts* facts) const;
  void BuildDelta(uint32_t device, uint32_t revision, v1::DeltaReport* delta) const;
  // One sweep of `subnet` by its `stream` scanner in `round`.
  void BuildSweep(uint32_t subnet, uint32_t stream, uint32_t round, int64_t now,
                  v1::ObservationReport* report) const;

 private:
  static std::string MacInRoundFor(uint64_t seed, uint32_t device, uint32_t round);
  void FillPackages(uint32_t device, bool with_delta_planted, v1::HostFacts* facts) const;
  std::string SwitchName(uint32_t subnet) const;
  std::string SwitchIp(uint32_t subnet) const;

  TruthFleetOptions options_;
  const std::vector<PoolPackage>& pool_;
  std::vector<TruthDevice> devices_;
  std::vector<uint32_t> core_;  // pool indices of the packages every host has
  uint32_t subnets_ = 0;
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_TRUTH_FLEET_H_
