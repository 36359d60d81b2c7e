// The --targets file: one target per line with optional port and profile.
#include "plugins/snmp/targets_file.h"

#include <gtest/gtest.h>

namespace estate::plugins::snmp {
namespace {

TEST(TargetsFile, ReadsHostPortAndProfileAndSkipsComments) {
  auto lines = ParseTargetsFile(
      "# office\n10.0.0.1\n\n10.0.1.0/24  1161  office # trailing\nups1.example\tfacilities\n",
      "t.txt");
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].target, "10.0.0.1");
  EXPECT_EQ((*lines)[0].port, 0);
  EXPECT_EQ((*lines)[0].profile, "");
  EXPECT_EQ((*lines)[1].target, "10.0.1.0/24");
  EXPECT_EQ((*lines)[1].port, 1161);
  EXPECT_EQ((*lines)[1].profile, "office");
  EXPECT_EQ((*lines)[1].line, 4);
  EXPECT_EQ((*lines)[2].profile, "facilities");
}

TEST(TargetsFile, BadLinesAreErrorsNamingFileAndLine) {
  auto port = ParseTargetsFile("10.0.0.1\n10.0.0.2 70000 office\n", "t.txt");
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.status().message().find("t.txt:2:"), std::string::npos) << port.status().message();
  auto fields = ParseTargetsFile("a 161 b c\n", "t.txt");
  ASSERT_FALSE(fields.ok());
  EXPECT_NE(fields.status().message().find("t.txt:1:"), std::string::npos);
  auto word = ParseTargetsFile("a x b\n", "t.txt");
  EXPECT_FALSE(word.ok());
}

TEST(TargetsFile, ProfilesComeFromConfigSectionsAndUnknownOnesAreNamed) {
  auto config = ConfigFile::Parse(
      "[snmp.profile.office]\ncommunities = ro1, ro2\n"
      "[snmp.profile.dc]\nversion = v3\nv3_user = scan\nauth_password = longenough\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  Credentials base;
  auto office = ProfileCredentials(*config, "office", base);
  ASSERT_TRUE(office.ok()) << office.status().ToString();
  EXPECT_EQ(office->communities, (std::vector<std::string>{"ro1", "ro2"}));
  EXPECT_EQ(office->version, "v2c");
  auto dc = ProfileCredentials(*config, "dc", base);
  ASSERT_TRUE(dc.ok()) << dc.status().ToString();
  EXPECT_EQ(dc->version, "v3");
  EXPECT_EQ(dc->user, "scan");
  auto missing = ProfileCredentials(*config, "lab", base);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("dc, office"), std::string::npos)
      << missing.status().message();
}

}  // namespace
}  // namespace estate::plugins::snmp
