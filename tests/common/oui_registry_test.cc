#include "estate/oui_registry.h"

#include <gtest/gtest.h>

namespace estate {
namespace {

constexpr const char* kMaL =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-L,00163E,\"Xensource, Inc.\",2300 Geng Rd. Palo Alto CA US 94303 \n"
    "MA-L,70B3D5,IEEE Registration Authority,\"445 Hoes Lane\nPiscataway NJ US 08554 \"\n"
    "MA-L,F4BD9E,\"Cisco Systems, Inc\",80 West Tasman Drive San Jose CA US 94568 \n"
    "MA-L,XYZ123,Bad Row,\n"
    "MA-L,00163,Short,\n";
constexpr const char* kMaS =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-S,70B3D5F2F,TELEPLATFORMS,\"Polbina st., 3/1 Moscow  RU 109388 \"\n";
constexpr const char* kMaM =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-M,70B3D5A,\"Says \"\"Hi\"\" Ltd\",Somewhere\n";

OuiRegistry Registry() {
  OuiRegistry r;
  size_t skipped = 0;
  EXPECT_EQ(r.AddCsv(kMaL, OuiBlock::kMaL, &skipped), 3u);
  EXPECT_EQ(skipped, 2u);
  EXPECT_EQ(r.AddCsv(kMaS, OuiBlock::kMaS), 1u);
  EXPECT_EQ(r.AddCsv(kMaM, OuiBlock::kMaM), 1u);
  r.Finish();
  return r;
}

TEST(OuiRegistry, FindsTheVendorOfAnMaLBlockInAnyMacSpelling) {
  const OuiRegistry r = Registry();
  EXPECT_EQ(r.Lookup("00:16:3e:00:00:02"), "Xensource, Inc.");
  EXPECT_EQ(r.Lookup("00-16-3E-AA-BB-CC"), "Xensource, Inc.");
  EXPECT_EQ(r.Lookup("f4bd.9e01.0203"), "Cisco Systems, Inc");
  const uint8_t raw[6] = {0xf4, 0xbd, 0x9e, 0, 0, 1};
  EXPECT_EQ(r.LookupBytes(raw), "Cisco Systems, Inc");
}

TEST(OuiRegistry, PrefersTheLongestPrefix) {
  const OuiRegistry r = Registry();
  EXPECT_EQ(r.Lookup("70:b3:d5:f2:f1:23"), "TELEPLATFORMS");                // MA-S 70B3D5F2F
  EXPECT_EQ(r.Lookup("70:b3:d5:a1:23:45"), "Says \"Hi\" Ltd");              // MA-M 70B3D5A
  EXPECT_EQ(r.Lookup("70:b3:d5:11:23:45"), "IEEE Registration Authority");  // MA-L only
}

TEST(OuiRegistry, AnswersEmptyForUnknownPrefixesAndNonMacs) {
  const OuiRegistry r = Registry();
  EXPECT_EQ(r.Lookup("02:e5:7a:00:00:01"), "");
  EXPECT_EQ(r.Lookup("not a mac"), "");
  EXPECT_EQ(OuiRegistry().Lookup("00:16:3e:00:00:02"), "");
}

TEST(OuiRegistry, LoadsTheFilesOfAHostRoot) {
  // A fixture root: only oui.csv present, which is enough.
  const std::string root = ::testing::TempDir() + "/oui_root";
  std::string command = "mkdir -p " + root + "/usr/share/ieee-data";
  ASSERT_EQ(std::system(command.c_str()), 0);
  FILE* f = std::fopen((root + "/usr/share/ieee-data/oui.csv").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(kMaL, f);
  std::fclose(f);
  auto r = OuiRegistry::Load(HostRoot(root));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ(r->Lookup("00:16:3e:00:00:02"), "Xensource, Inc.");

  auto only = OuiRegistry::LoadFor(HostRoot(root), {0xf4bd9e000001ull});
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(only->size(), 1u);
  EXPECT_EQ(only->Lookup("f4:bd:9e:00:00:01"), "Cisco Systems, Inc");
  EXPECT_EQ(only->Lookup("00:16:3e:00:00:02"), "");
}

TEST(OuiRegistry, SaysWhichPackageIsMissing) {
  auto r = OuiRegistry::Load(HostRoot(::testing::TempDir() + "/no_such_root"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
  EXPECT_NE(r.status().message().find("ieee-data"), std::string::npos);
}

// The registry Debian ships, when installed: the three block sizes resolve.
TEST(OuiRegistry, ResolvesAllThreeBlockSizesFromDebiansIeeeData) {
  auto r = OuiRegistry::Load(HostRoot("/"));
  if (!r.ok()) GTEST_SKIP() << "ieee-data is not installed: " << r.status().ToString();
  EXPECT_GT(r->size(), 40000u);
  EXPECT_EQ(r->Lookup("00:16:3e:12:34:56"), "Xensource, Inc.");
  EXPECT_EQ(r->Lookup("70:b3:d5:f2:f0:00"), "TELEPLATFORMS");
  EXPECT_EQ(r->Lookup("74:1a:e0:90:00:00"), "Private");  // MA-M 741AE09
}

}  // namespace
}  // namespace estate
