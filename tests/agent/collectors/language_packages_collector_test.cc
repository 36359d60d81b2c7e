#include "agent/collectors/language_packages_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::RootPath;
using testing::TempDir;

std::set<std::string> Listed(const v1::HostFacts& facts) {
  std::set<std::string> out;
  for (const auto& p : facts.software())
    out.insert(p.source() + ":" + p.name() + "=" + p.version());
  return out;
}

TEST(ParsePythonMetadata, ReadsNameAndVersionFromTheHeadersOnly) {
  auto nv = ParsePythonMetadata(
      "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0\n\n"
      "Name: not-this\n");
  ASSERT_TRUE(nv.has_value());
  EXPECT_EQ(nv->name, "PyYAML");
  EXPECT_EQ(nv->version, "6.0");
  EXPECT_FALSE(ParsePythonMetadata("Metadata-Version: 2.1\nName: x\n").has_value());
}

TEST(ParsePackageJson, NeedsANameAndAVersion) {
  auto nv = ParsePackageJson(R"({"version": "11.19.1", "name": "npm", "x": {"version": "2"}})");
  ASSERT_TRUE(nv.has_value());
  EXPECT_EQ(nv->name, "npm");
  EXPECT_EQ(nv->version, "11.19.1");
  EXPECT_FALSE(ParsePackageJson(R"({"name": "half-written)").has_value());
  EXPECT_FALSE(ParsePackageJson(R"({"name": "x", "version": 3})").has_value());
}

TEST(ParseGemspec, FallsBackToTheFileName) {
  auto nv = ParseGemspec("", "nokogiri-1.15.4-x86_64-linux.gemspec");
  ASSERT_TRUE(nv.has_value());
  EXPECT_EQ(nv->name, "nokogiri");
  EXPECT_EQ(nv->version, "1.15.4");
  nv = ParseGemspec("", "aws-sdk-s3-1.136.0.gemspec");
  ASSERT_TRUE(nv.has_value());
  EXPECT_EQ(nv->name, "aws-sdk-s3");
  EXPECT_EQ(nv->version, "1.136.0");
  EXPECT_FALSE(ParseGemspec("", "noversion.gemspec").has_value());
}

TEST(LanguagePackagesCollector, ListsPipNpmAndGemPackagesButNotTheDistributions) {
  CollectContext context{HostRoot(RootPath("endpoint-laptop")), nullptr, false, {}};
  v1::HostFacts facts;
  MakeLanguagePackagesCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0) << facts.warnings(0);
  EXPECT_EQ(Listed(facts), (std::set<std::string>{
                               "pypi:PyYAML=6.0",
                               "pypi:PyJWT=2.6.0",
                               "pypi:blinker=1.5",  // site-packages, installed by pip
                               "npm:corepack=0.34.6",
                               "npm:npm=11.19.1",
                               "gem:rake=13.0.1",
                               "gem:nokogiri=1.15.4",
                           }));
}

TEST(LanguagePackagesCollector, WarnsAboutBrokenMetadataAndCapsHugeDirectories) {
  TempDir dir;
  const std::string site = dir.path() + "/usr/local/lib/python3.12/dist-packages";
  std::filesystem::create_directories(site + "/half-1.0.dist-info");
  std::ofstream(site + "/half-1.0.dist-info/METADATA") << "Metadata-Version: 2.1\nName: half\n";
  for (size_t i = 0; i < 30; ++i) {
    std::filesystem::create_directories(site + "/m" + std::to_string(i));  // plain modules
  }
  const std::string modules = dir.path() + "/usr/local/lib/node_modules";
  std::filesystem::create_directories(modules + "/@vue/cli");
  std::ofstream(modules + "/@vue/cli/package.json") << R"({"name":"@vue/cli","version":"5.0.8"})";
  std::filesystem::create_directories(modules + "/torn");
  std::ofstream(modules + "/torn/package.json") << R"({"name":"torn","ver)";
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakeLanguagePackagesCollector(/*max_entries=*/20)->Collect(context, &facts);
  EXPECT_EQ(Listed(facts), (std::set<std::string>{"npm:@vue/cli=5.0.8"}));
  ASSERT_EQ(facts.warnings_size(), 3);
  // "half-1.0.dist-info" sorts before the m* entries, so it is still read.
  EXPECT_NE(facts.warnings(0).find("31 entries, only the first 20"), std::string::npos)
      << facts.warnings(0);
  EXPECT_NE(facts.warnings(1).find("half-1.0.dist-info: no Name and Version"), std::string::npos)
      << facts.warnings(1);
  EXPECT_NE(facts.warnings(2).find("torn/package.json"), std::string::npos) << facts.warnings(2);
}

}  // namespace
}  // namespace estate::agent
