#include "agent/collectors/smbios_collector.h"

#include <gtest/gtest.h>

#include "estate/host_root.h"
#include "tests/agent/fixture_paths.h"

namespace estate::agent {
namespace {

std::string SupermicroTable() {
  auto table = HostRoot("/").ReadFile(
      testing::FixturePath("third_party/siderolabs-go-smbios/sidero_SuperMicro-Dual-Xeon.dmi"));
  EXPECT_TRUE(table.ok());
  return table.ok() ? *table : std::string();
}

TEST(SmbiosParser, ReadsEveryMemoryDeviceOfASupermicroServer) {
  SmbiosMemory memory = ParseSmbiosMemoryDevices(SupermicroTable());
  EXPECT_TRUE(memory.error.empty()) << memory.error;
  // go-smbios decodes 16 type-17 records from this table (the JSON beside it).
  ASSERT_EQ(memory.modules.size(), 16u);
  const v1::MemoryModule& first = memory.modules[0];
  EXPECT_EQ(first.locator(), "P1-DIMMA1");
  EXPECT_EQ(first.bank_locator(), "P0_Node0_Channel0_Dimm0");
  EXPECT_EQ(first.size_bytes(), 4096ull << 20);
  EXPECT_EQ(first.speed_mts(), 1333u);
  EXPECT_EQ(first.type(), "DDR3");
  EXPECT_EQ(first.form_factor(), "DIMM");
  EXPECT_EQ(first.manufacturer(), "Micron");
  EXPECT_EQ(first.serial(), "346C4A12");
  EXPECT_EQ(first.part_number(), "18KSF51272PZ-1G4K");
  EXPECT_EQ(memory.modules[1].manufacturer(), "Kingston");
  EXPECT_EQ(memory.modules[1].part_number(), "HP647647-071-HYE");
}

TEST(SmbiosParser, KeepsModulesBeforeATruncation) {
  const std::string table = SupermicroTable();
  SmbiosMemory whole = ParseSmbiosMemoryDevices(table);
  for (size_t cut : {table.size() / 2, table.size() / 3, size_t{3}, size_t{0}}) {
    SmbiosMemory part = ParseSmbiosMemoryDevices(table.substr(0, cut));
    ASSERT_LE(part.modules.size(), whole.modules.size());
    for (size_t i = 0; i < part.modules.size(); ++i) {
      EXPECT_EQ(part.modules[i].SerializeAsString(), whole.modules[i].SerializeAsString());
    }
    if (cut > 3) {
      EXPECT_FALSE(part.error.empty()) << "cut at " << cut;
    }
  }
}

TEST(SmbiosParser, RejectsAStructureShorterThanItsHeader) {
  SmbiosMemory memory = ParseSmbiosMemoryDevices(std::string("\x11\x02\x00\x00\x00\x00", 6));
  EXPECT_TRUE(memory.modules.empty());
  EXPECT_NE(memory.error.find("length 2"), std::string::npos);
}

TEST(SmbiosNames, NamesMemoryTypesAndFormFactors) {
  EXPECT_EQ(SmbiosMemoryType(0x1A), "DDR4");
  EXPECT_EQ(SmbiosMemoryType(0x22), "DDR5");
  EXPECT_EQ(SmbiosMemoryType(0xF0), "Unknown");
  EXPECT_EQ(SmbiosFormFactor(0x0D), "SODIMM");
}

}  // namespace
}  // namespace estate::agent
