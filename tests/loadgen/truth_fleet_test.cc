#include "tests/loadgen/truth_fleet.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/loadgen/truth_audit.h"

namespace estate::loadgen {
namespace {

TruthFleetOptions Small() {
  TruthFleetOptions o;
  o.seed = 3;
  o.devices = 600;
  o.foreign_share = 0.1;
  o.move_share = 0.05;
  return o;
}

TEST(TruthFleet, EveryMacBelongsToOneDeviceAndPhonesRotateTheirs) {
  const TruthFleet fleet(Small(), BuiltinPackagePool());
  std::set<std::string> seen;
  uint32_t phones = 0;
  for (uint32_t d = 0; d < fleet.devices().size(); ++d) {
    const auto macs = fleet.AllMacs(d);
    for (const auto& mac : macs) EXPECT_TRUE(seen.insert(mac).second) << mac;
    if (fleet.devices()[d].kind == TruthKind::kPhone) {
      ++phones;
      EXPECT_NE(fleet.MacInRound(d, 0), fleet.MacInRound(d, 1));
      EXPECT_TRUE(std::stoul(fleet.MacInRound(d, 1).substr(0, 2), nullptr, 16) & 0x02)
          << "a rotating MAC is locally administered";
    }
  }
  EXPECT_GT(phones, 20u);
}

TEST(TruthFleet, DeltaPlantedPackagesArriveWithTheFirstDelta) {
  const TruthFleet fleet(Small(), BuiltinPackagePool());
  uint32_t checked = 0;
  for (uint32_t d = 0; d < fleet.devices().size(); ++d) {
    const TruthDevice& dev = fleet.devices()[d];
    for (const PlantedPackage& p : dev.foreign) {
      if (!p.in_delta) continue;
      v1::HostFacts before;
      fleet.BuildFacts(d, 0, &before);
      v1::DeltaReport delta;
      fleet.BuildDelta(d, 1, &delta);
      bool in_full = false, in_delta = false;
      for (const auto& pkg : before.software())
        in_full |= pkg.name() == p.name && !pkg.distribution();
      for (const auto& pkg : delta.software_upserted()) in_delta |= pkg.name() == p.name;
      EXPECT_FALSE(in_full) << p.name;
      EXPECT_TRUE(in_delta) << p.name;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
}

// The audit counts against the truth: a perfect answer meets every target, a
// twin record is a duplicate and a false shadow device, a missing package is missed.
TEST(TruthAudit, CountsDuplicatesFalseShadowAndMissedSoftware) {
  TruthFleetOptions o = Small();
  o.devices = 40;
  const TruthFleet fleet(o, BuiltinPackagePool());
  nlohmann::json assets = nlohmann::json::array(), shadow = nlohmann::json::array();
  nlohmann::json software = nlohmann::json::array();
  std::map<std::string, nlohmann::json> planted;
  int n = 0;
  int agent_device = -1;
  for (uint32_t d = 0; d < fleet.devices().size(); ++d) {
    const TruthDevice& dev = fleet.devices()[d];
    for (const auto& mac : fleet.AllMacs(d)) {
      const std::string id = "A-" + std::to_string(++n);
      assets.push_back({{"id", id}, {"macs", {mac}}, {"managed", dev.agent()}});
      if (!dev.agent()) shadow.push_back({{"asset_id", id}});
      if (dev.kind == TruthKind::kSwitch) break;  // one record holds all its MACs
      for (const auto& p : dev.foreign) planted[p.name]["assets"].push_back(id);
      if (dev.agent() && agent_device < 0) agent_device = static_cast<int>(d);
      if (dev.kind != TruthKind::kPhone) break;
    }
  }
  for (auto& [name, entry] : planted) {
    entry["kind"] = "package";
    entry["name"] = name;
    software.push_back(entry);
  }
  // Switch records: give them all their MACs.
  AuditFigures f = AuditFleet(fleet, {{"assets", assets}}, {{"devices", shadow}},
                              {{"software", software}}, {{"drift", nlohmann::json::array()}});
  EXPECT_EQ(f.duplicates, 0u);
  EXPECT_EQ(f.false_shadow, 0u);
  EXPECT_EQ(f.missed_shadow, 0u);
  EXPECT_EQ(f.software_found, f.planted_software);
  ASSERT_GE(agent_device, 0);
  // A shadow twin of an agent's device.
  const std::string mac = fleet.devices()[agent_device].mac;
  assets.push_back({{"id", "A-twin"}, {"macs", {mac}}, {"managed", false}});
  shadow.push_back({{"asset_id", "A-twin"}});
  f = AuditFleet(fleet, {{"assets", assets}}, {{"devices", shadow}}, {{"software", software}},
                 {{"drift", {{{"asset_id", "A-twin"}, {"fact", "network.port"}}}}});
  EXPECT_EQ(f.duplicates, 1u);
  EXPECT_EQ(f.false_shadow, 1u);
  EXPECT_EQ(f.false_drift, 1u);
  EXPECT_FALSE(f.TargetsMet());
}

}  // namespace
}  // namespace estate::loadgen
