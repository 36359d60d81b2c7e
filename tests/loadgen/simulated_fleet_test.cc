#include "tests/loadgen/simulated_fleet.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "estate/facts_delta.h"
#include "tests/loadgen/package_pool.h"

namespace estate::loadgen {
namespace {

using google::protobuf::util::MessageDifferencer;

SimulatedFleet MakeFleet(uint32_t agents, uint64_t seed = 7) {
  FleetOptions options;
  options.seed = seed;
  options.agents = agents;
  options.scanners = 3;
  return SimulatedFleet(options, BuiltinPackagePool());
}

TEST(PackagePool, BuiltinPoolIsARealSortedDebianSubset) {
  const auto& pool = BuiltinPackagePool();
  EXPECT_GT(pool.size(), 2500u);
  size_t core = 0;
  bool has_libc = false;
  for (size_t i = 0; i < pool.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(pool[i - 1].name, pool[i].name);
    }
    core += pool[i].core;
    if (pool[i].name == "libc6") {
      has_libc = true;
      EXPECT_TRUE(pool[i].core);
      EXPECT_EQ(pool[i].architecture, "amd64");
      EXPECT_EQ(pool[i].source_package, "glibc");
    }
  }
  EXPECT_TRUE(has_libc);
  EXPECT_GT(core, 100u);
  EXPECT_LT(core, 1000u);
}

TEST(PackagePool, RejectsMalformedAndUnsortedLines) {
  EXPECT_TRUE(ParsePackagePool("a\t1.0\tamd64\ta\t10\tMe <me@x>\t1\n").ok());
  EXPECT_FALSE(ParsePackagePool("a\t1.0\tamd64\ta\t10\tMe\n").ok());
  EXPECT_FALSE(ParsePackagePool("a\t1.0\tamd64\ta\tten\tMe\t1\n").ok());
  EXPECT_FALSE(ParsePackagePool("b\t1\tall\tb\t1\tM\t0\na\t1\tall\ta\t1\tM\t0\n").ok());
  EXPECT_FALSE(ParsePackagePool("").ok());
}

TEST(SimulatedFleet, FactsAreAPureFunctionOfSeedAndIndex) {
  auto a = MakeFleet(100), b = MakeFleet(100), other_seed = MakeFleet(100, 8);
  v1::HostFacts fa, fb, fc;
  a.BuildFacts(42, AgentState(), &fa);
  b.BuildFacts(42, AgentState(), &fb);
  other_seed.BuildFacts(42, AgentState(), &fc);
  EXPECT_TRUE(MessageDifferencer::Equals(fa, fb));
  EXPECT_EQ(a.AgentNodeId(42), b.AgentNodeId(42));
  EXPECT_NE(fa.machine_id(), fc.machine_id());
  EXPECT_NE(fa.dmi().uuid(), fc.dmi().uuid());
}

TEST(SimulatedFleet, EveryAgentHasItsOwnIdentity) {
  constexpr uint32_t kAgents = 3000;
  auto fleet = MakeFleet(kAgents);
  std::set<std::string> nodes, machine_ids, uuids, serials, fqdns, macs, hostnames;
  size_t expected_macs = 0;
  std::set<std::string> classes;
  for (uint32_t i = 0; i < kAgents; ++i) {
    v1::HostFacts f;
    fleet.BuildFacts(i, AgentState(), &f);
    nodes.insert(fleet.AgentNodeId(i));
    machine_ids.insert(f.machine_id());
    uuids.insert(f.dmi().uuid());
    hostnames.insert(f.hostname());
    fqdns.insert(f.fqdn());
    EXPECT_EQ(f.hostname(), fleet.AgentHostname(i));
    EXPECT_EQ(f.machine_id().size(), 32u);
    if (!f.dmi().serial().empty()) {
      EXPECT_TRUE(serials.insert(f.dmi().serial()).second) << f.dmi().serial();
    }
    for (const auto& nic : f.network().interfaces()) {
      if (nic.is_virtual()) continue;
      ++expected_macs;
      macs.insert(nic.mac());
    }
    classes.insert(f.dmi().chassis_type());
    // The scanner's view of the agent is its primary NIC.
    const auto station = fleet.PrimaryStation(i);
    EXPECT_EQ(f.network().interfaces(1).mac(), station.mac);
    EXPECT_EQ(f.network().interfaces(1).addresses(0).address(), station.ip);
  }
  EXPECT_EQ(nodes.size(), kAgents);
  EXPECT_EQ(machine_ids.size(), kAgents);
  EXPECT_EQ(uuids.size(), kAgents);
  EXPECT_EQ(hostnames.size(), kAgents);
  EXPECT_EQ(fqdns.size(), kAgents);
  EXPECT_EQ(macs.size(), expected_macs);
  EXPECT_GT(serials.size(), kAgents / 2);
  EXPECT_GE(classes.size(), 4u);  // notebooks, desktops, rack servers, VMs
}

TEST(SimulatedFleet, AgentsCarryAboutFifteenHundredPackagesInCanonicalOrder) {
  auto fleet = MakeFleet(200);
  size_t total = 0;
  for (uint32_t i = 0; i < 200; ++i) {
    v1::HostFacts f;
    fleet.BuildFacts(i, AgentState(), &f);
    total += static_cast<size_t>(f.software_size());
    for (int k = 1; k < f.software_size(); ++k) {
      const auto& a = f.software(k - 1);
      const auto& b = f.software(k);
      ASSERT_LT(std::tie(a.name(), a.architecture(), a.source()),
                std::tie(b.name(), b.architecture(), b.source()));
    }
    EXPECT_GT(f.dmi().memory_modules_size(), 0);
    EXPECT_GT(f.storage().disks_size(), 0);
    EXPECT_GT(f.cpu().logical(), 0u);
    EXPECT_EQ(f.os().version_codename(), "bookworm");
  }
  EXPECT_NEAR(static_cast<double>(total) / 200, 1500, 60);
}

TEST(SimulatedFleet, EachDeltaTurnsThePreviousFactsIntoTheNextRevision) {
  auto fleet = MakeFleet(50);
  for (uint32_t agent : {0u, 7u, 31u, 49u}) {
    AgentState state;
    v1::HostFacts facts;
    fleet.BuildFacts(agent, state, &facts);
    for (int revision = 1; revision <= 40; ++revision) {
      v1::DeltaReport delta;
      fleet.AdvanceRevision(agent, &state, &delta);
      EXPECT_EQ(state.revision, static_cast<uint32_t>(revision));
      EXPECT_FALSE(IsEmptyDelta(delta));
      EXPECT_LE(delta.software_upserted_size(), 6);
      EXPECT_LE(delta.software_removed_size(), 1);
      ASSERT_TRUE(ApplyDelta(&facts, delta).ok());
      v1::HostFacts expected;
      fleet.BuildFacts(agent, state, &expected);
      ASSERT_TRUE(MessageDifferencer::Equals(facts, expected))
          << "agent " << agent << " revision " << revision;
      // Far smaller than the full report it stands for.
      EXPECT_LT(delta.ByteSizeLong() * 20, expected.ByteSizeLong());
    }
  }
}

TEST(SimulatedFleet, UpgradedPackagesGainDebianSecurityUpdateVersions) {
  auto fleet = MakeFleet(10);
  AgentState state;
  v1::DeltaReport delta;
  bool saw_upgrade = false;
  for (int i = 0; i < 10 && !saw_upgrade; ++i) {
    fleet.AdvanceRevision(3, &state, &delta);
    for (const auto& p : delta.software_upserted()) {
      if (p.version().find("+deb12u") != std::string::npos) saw_upgrade = true;
    }
  }
  EXPECT_TRUE(saw_upgrade);
}

TEST(SimulatedFleet, SweepSeesEveryAgentOfItsSubnetAndUnknownDevices) {
  auto fleet = MakeFleet(450);  // subnets of 200, 200 and 50 agents
  ASSERT_EQ(fleet.subnets(), 3u);
  v1::ObservationReport report;
  fleet.BuildObservations(2, 1700000000, /*with_fdb=*/false, &report);
  const uint32_t unknown = fleet.UnknownDevices(2);
  ASSERT_EQ(report.observations_size(), static_cast<int>(50 + unknown));
  EXPECT_EQ(report.devices_size(), 0);
  std::set<std::string> macs;
  for (const auto& o : report.observations()) macs.insert(o.mac());
  EXPECT_EQ(macs.size(), 50 + unknown);
  for (uint32_t agent = 400; agent < 450; ++agent) {
    EXPECT_TRUE(macs.count(fleet.PrimaryStation(agent).mac)) << agent;
  }

  v1::ObservationReport with_fdb;
  fleet.BuildObservations(2, 1700000000, /*with_fdb=*/true, &with_fdb);
  ASSERT_EQ(with_fdb.observations_size(), static_cast<int>(2 * (50 + unknown)));
  ASSERT_EQ(with_fdb.devices_size(), 1);
  EXPECT_EQ(with_fdb.devices(0).fdb_size(), static_cast<int>(50 + unknown));
  const auto& fdb = with_fdb.observations(static_cast<int>(50 + unknown));
  EXPECT_EQ(fdb.source(), v1::OBSERVATION_SOURCE_SNMP_FDB);
  EXPECT_FALSE(fdb.switch_port().port().empty());
}

TEST(SimulatedFleet, ScannersTakeTurnsOverAllSubnets) {
  auto fleet = MakeFleet(1000);  // 5 subnets, 3 scanners
  std::set<uint32_t> swept;
  for (uint64_t round = 0; round < 2; ++round) {
    for (uint32_t scanner = 0; scanner < 3; ++scanner) {
      swept.insert(fleet.ScannerSubnet(scanner, round));
    }
  }
  EXPECT_EQ(swept.size(), 5u);
}

}  // namespace
}  // namespace estate::loadgen
