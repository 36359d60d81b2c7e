#include "agent/collectors/battery_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::RootPath;
using testing::TempDir;

TEST(ParsePowerSupplyUevent, KeysPropertiesWithoutThePrefix) {
  auto p = ParsePowerSupplyUevent(
      "POWER_SUPPLY_NAME=BAT0\nPOWER_SUPPLY_SERIAL_NUMBER=  756\nNOT_OURS=1\nPOWER_SUPPLY_BAD\n");
  EXPECT_EQ(p, (std::map<std::string, std::string>{{"NAME", "BAT0"}, {"SERIAL_NUMBER", "756"}}));
}

TEST(BatteryCollector, ReportsTheLaptopsBatteriesInTheirOwnUnits) {
  CollectContext context{HostRoot(RootPath("endpoint-laptop")), nullptr, false, {}};
  v1::HostFacts facts;
  MakeBatteryCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0) << facts.warnings(0);
  ASSERT_EQ(facts.batteries_size(), 2);  // not AC (Mains), not the mouse (scope Device)
  const auto& lenovo = facts.batteries(0);
  EXPECT_EQ(lenovo.name(), "BAT0");
  EXPECT_EQ(lenovo.manufacturer(), "LGC");
  EXPECT_EQ(lenovo.model(), "LNV-45N1");
  EXPECT_EQ(lenovo.serial(), "44853");
  EXPECT_EQ(lenovo.technology(), "Li-ion");
  EXPECT_EQ(lenovo.capacity_unit(), "mWh");
  EXPECT_EQ(lenovo.design_capacity(), 46970u);
  EXPECT_EQ(lenovo.full_capacity(), 41250u);
  EXPECT_DOUBLE_EQ(lenovo.health_percent(), 87.8);
  EXPECT_EQ(lenovo.status(), "Discharging");
  EXPECT_EQ(lenovo.charge_percent(), 100u);
  const auto& arch = facts.batteries(1);
  EXPECT_EQ(arch.manufacturer(), "SMP-SDI2");
  EXPECT_EQ(arch.model(), "MWL31b");
  EXPECT_EQ(arch.serial(), "");
  EXPECT_EQ(arch.capacity_unit(), "mAh");
  EXPECT_EQ(arch.design_capacity(), 2200u);
  EXPECT_EQ(arch.full_capacity(), 2167u);
  EXPECT_DOUBLE_EQ(arch.health_percent(), 98.5);
  EXPECT_EQ(arch.status(), "Full");
}

TEST(BatteryCollector, KeepsABatteryWithZeroDesignCapacityAndWarns) {
  TempDir dir;
  const std::string bat = dir.path() + "/sys/class/power_supply/BAT0";
  std::filesystem::create_directories(bat);
  std::ofstream(bat + "/type") << "Battery\n";
  std::ofstream(bat + "/uevent") << "POWER_SUPPLY_NAME=BAT0\nPOWER_SUPPLY_ENERGY_FULL_DESIGN=0\n"
                                    "POWER_SUPPLY_ENERGY_FULL=41250000\n"
                                    "POWER_SUPPLY_MANUFACTURER=SMP\nPOWER_SUPPLY_CYCLE_COUNT=412\n";
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakeBatteryCollector()->Collect(context, &facts);
  ASSERT_EQ(facts.batteries_size(), 1);
  EXPECT_EQ(facts.batteries(0).manufacturer(), "SMP");
  EXPECT_EQ(facts.batteries(0).cycle_count(), 412u);
  EXPECT_EQ(facts.batteries(0).full_capacity(), 41250u);
  EXPECT_EQ(facts.batteries(0).health_percent(), 0.0);
  ASSERT_EQ(facts.warnings_size(), 1);
  EXPECT_NE(facts.warnings(0).find("BAT0/uevent: no design capacity"), std::string::npos)
      << facts.warnings(0);
}

}  // namespace
}  // namespace estate::agent
