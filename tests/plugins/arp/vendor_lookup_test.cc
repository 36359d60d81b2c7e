#include "plugins/arp/vendor_lookup.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace estate::plugins {
namespace {

constexpr const char* kHeader = "Registry,Assignment,Organization Name,Organization Address\n";
constexpr const char* kMaL =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-L,00163E,\"Xensource, Inc.\",2300 Geng Rd. Palo Alto CA US 94303 \n"
    "MA-L,70B3D5,IEEE Registration Authority,\"445 Hoes Lane\n"
    "MA-L,F4BD9E,Not a record: inside a quoted address\nPiscataway NJ US 08554 \"\n"
    "MA-L,F4BD9E,\"Cisco Systems, Inc\",80 West Tasman Drive San Jose CA US 94568 \n"
    "MA-L,AABBCC,Five 5\" Inc,a quote inside a field is a character\n"
    "MA-L,0050C2,\"Says \"\"Hi\"\"\nLtd\",Somewhere\n"
    "MA-L,XYZ123,Bad Row,\n";
constexpr const char* kMaM =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-M,70B3D5A,\"Says \"\"Hi\"\" Ltd\",Somewhere\n";
constexpr const char* kMaS =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-S,70B3D5F2F,TELEPLATFORMS,\"Polbina st., 3/1 Moscow  RU 109388 \"\n";

TEST(PickRegistryRecords, KeepsTheHeaderAndTheRecordsNamingAMac) {
  EXPECT_EQ(PickRegistryRecords(kMaL, OuiBlock::kMaL, {0x00163e000002ull}),
            std::string(kHeader) +
                "MA-L,00163E,\"Xensource, Inc.\",2300 Geng Rd. Palo Alto CA US 94303 \n" +
                "MA-L,XYZ123,Bad Row,\n");
}

TEST(PickRegistryRecords, KeepsAQuotedMultiLineRecordWholeAndLooksNoFurtherInside) {
  EXPECT_EQ(PickRegistryRecords(kMaL, OuiBlock::kMaL, {0x70b3d5000001ull}),
            std::string(kHeader) +
                "MA-L,70B3D5,IEEE Registration Authority,\"445 Hoes Lane\n"
                "MA-L,F4BD9E,Not a record: inside a quoted address\n"
                "Piscataway NJ US 08554 \"\n" +
                "MA-L,XYZ123,Bad Row,\n");
  const std::string cisco = PickRegistryRecords(kMaL, OuiBlock::kMaL, {0xf4bd9e000001ull});
  EXPECT_EQ(cisco.find("Not a record"), std::string::npos);
  EXPECT_NE(cisco.find("Cisco Systems"), std::string::npos);
}

TEST(PickRegistryRecords, TreatsAQuoteInsideAFieldAsACharacter) {
  const std::string picked =
      PickRegistryRecords(kMaL, OuiBlock::kMaL, {0x0050c2000001ull, 0xaabbcc000001ull});
  EXPECT_NE(picked.find("Five 5\" Inc"), std::string::npos);
  EXPECT_NE(picked.find("\"Says \"\"Hi\"\"\nLtd\",Somewhere\n"), std::string::npos);
  EXPECT_EQ(picked.find("Xensource"), std::string::npos);
}

TEST(PickRegistryRecords, HandsRecordsItCannotReadToTheParser) {
  const std::string csv =
      "MA-L,\"00163E\",Quoted Assignment,\n"
      "MA-L, 00163E ,Padded Assignment,\n"
      "MA-L,0016,Short,\n"
      "MA-L,00163f,Lowercase Hex,no newline at the end";
  EXPECT_EQ(PickRegistryRecords(csv, OuiBlock::kMaL, {0x00163f000001ull}),
            "MA-L,\"00163E\",Quoted Assignment,\n"
            "MA-L, 00163E ,Padded Assignment,\n"
            "MA-L,0016,Short,\n"
            "MA-L,00163f,Lowercase Hex,no newline at the end\n");
  EXPECT_EQ(PickRegistryRecords(csv, OuiBlock::kMaL, {0x001640000000ull}),
            "MA-L,\"00163E\",Quoted Assignment,\n"
            "MA-L, 00163E ,Padded Assignment,\n"
            "MA-L,0016,Short,\n");
}

// As LoadVendorsOf reads: pieces of `size` bytes after the unfinished record.
TEST(RegistryRecordPicker, PicksTheSameRecordsWhateverPiecesTheFileComesIn) {
  const std::vector<uint64_t> macs = {0x0050c2000001ull, 0x70b3d5000001ull, 0xaabbcc000001ull};
  const std::string whole = PickRegistryRecords(kMaL, OuiBlock::kMaL, macs);
  const std::string_view csv = kMaL;
  for (size_t size = 1; size <= csv.size(); ++size) {
    RegistryRecordPicker picker(OuiBlock::kMaL, macs);
    std::string buffer;
    for (size_t pos = 0; pos < csv.size(); pos += size) {
      buffer.append(csv.substr(pos, size));
      buffer.erase(0, picker.AddRecords(buffer));
    }
    if (!buffer.empty()) picker.AddLast(buffer);
    EXPECT_EQ(picker.Finish(), whole) << "pieces of " << size;
  }
}

std::string WriteRoot(const std::string& name) {
  const std::string root = ::testing::TempDir() + "/" + name;
  const std::string command = "mkdir -p " + root + "/usr/share/ieee-data";
  EXPECT_EQ(std::system(command.c_str()), 0);
  for (const auto& [file, text] :
       {std::pair{"oui.csv", kMaL}, std::pair{"mam.csv", kMaM}, std::pair{"oui36.csv", kMaS}}) {
    FILE* f = std::fopen((root + "/usr/share/ieee-data/" + file).c_str(), "w");
    EXPECT_NE(f, nullptr);
    std::fputs(text, f);
    std::fclose(f);
  }
  return root;
}

TEST(LoadVendorsOf, FindsTheLongestPrefixOfEachMac) {
  const HostRoot root(WriteRoot("vendor_root"));
  auto r = LoadVendorsOf(root, {0x70b3d5f2f123ull, 0x70b3d5a12345ull, 0x70b3d5112345ull,
                                0x00163e000002ull, 0x02e57a000001ull});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Lookup("70:b3:d5:f2:f1:23"), "TELEPLATFORMS");
  EXPECT_EQ(r->Lookup("70:b3:d5:a1:23:45"), "Says \"Hi\" Ltd");
  EXPECT_EQ(r->Lookup("70:b3:d5:11:23:45"), "IEEE Registration Authority");
  EXPECT_EQ(r->Lookup("00:16:3e:00:00:02"), "Xensource, Inc.");
  EXPECT_EQ(r->Lookup("02:e5:7a:00:00:01"), "");
  EXPECT_EQ(r->Lookup("f4:bd:9e:00:00:01"), "");  // not asked for
}

TEST(LoadVendorsOf, NeedsNoFileForNoMacAndSaysWhichPackageIsMissing) {
  const HostRoot nowhere(::testing::TempDir() + "/no_such_root");
  auto none = LoadVendorsOf(nowhere, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->size(), 0u);
  auto missing = LoadVendorsOf(nowhere, {0x00163e000002ull});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find("ieee-data"), std::string::npos);
}

// The real registry, when this machine has it: every vendor is the one
// OuiRegistry::LoadFor finds for the same MACs.
TEST(LoadVendorsOf, AnswersAsOuiRegistryLoadForOnTheInstalledRegistry) {
  const HostRoot root("/");
  if (!root.Exists("/usr/share/ieee-data/oui.csv")) GTEST_SKIP() << "ieee-data is not installed";
  auto full = OuiRegistry::Load(root);
  ASSERT_TRUE(full.ok());
  // MACs in assigned blocks (taken from the registry's own prefixes) and random ones.
  std::vector<uint64_t> macs;
  std::mt19937_64 random(7);
  for (int i = 0; i < 3000; ++i) macs.push_back(random() & 0xffffffffffffull);
  const std::string oui = *root.ReadFile("/usr/share/ieee-data/oui.csv");
  for (size_t pos = 0; (pos = oui.find("\nMA-L,", pos)) != std::string::npos; pos += 600 * 50) {
    macs.push_back(std::strtoull(oui.substr(pos + 6, 6).c_str(), nullptr, 16) << 24 | 0x123456);
  }
  for (uint64_t prefix : {0x70b3d5f2full, 0x8c1f64001ull}) macs.push_back(prefix << 12 | 0x777);
  auto expected = OuiRegistry::LoadFor(root, macs);
  auto picked = LoadVendorsOf(root, macs);
  ASSERT_TRUE(expected.ok());
  ASSERT_TRUE(picked.ok());
  int named = 0;
  for (uint64_t mac : macs) {
    uint8_t bytes[6];
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(mac >> (40 - 8 * i));
    EXPECT_EQ(picked->LookupBytes(bytes), expected->LookupBytes(bytes)) << std::hex << mac;
    EXPECT_EQ(picked->LookupBytes(bytes), full->LookupBytes(bytes)) << std::hex << mac;
    named += !picked->LookupBytes(bytes).empty();
  }
  EXPECT_GT(named, 50);
}

}  // namespace
}  // namespace estate::plugins
