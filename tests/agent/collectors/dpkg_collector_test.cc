#include "agent/collectors/dpkg_collector.h"

#include <gtest/gtest.h>

#include "estate/host_root.h"
#include "tests/agent/fixture_paths.h"

namespace estate::agent {
namespace {

using testing::FixturePath;

std::string Read(const std::string& path) {
  auto text = HostRoot("/").ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

std::vector<std::string> Names(const DpkgStatus& status) {
  std::vector<std::string> names;
  for (const auto& p : status.packages) names.push_back(p.name());
  return names;
}

TEST(DpkgParser, ReadsFieldsOfAnInstalledPackage) {
  DpkgStatus status = ParseDpkgStatus(
      "Package: libgcc1\nStatus: install ok installed\nInstalled-Size: 131\n"
      "Maintainer: Ubuntu Core developers <u@example.com>\nArchitecture: amd64\n"
      "Source: gcc-5 (5.1.1-12ubuntu1)\nVersion: 1:5.1.1-12ubuntu1\nDescription: GCC\n"
      " more text\n .\n");
  ASSERT_EQ(status.packages.size(), 1u);
  const v1::Package& p = status.packages[0];
  EXPECT_EQ(p.name(), "libgcc1");
  EXPECT_EQ(p.version(), "1:5.1.1-12ubuntu1");
  EXPECT_EQ(p.architecture(), "amd64");
  EXPECT_EQ(p.source(), "deb");
  EXPECT_EQ(p.source_package(), "gcc-5");
  EXPECT_EQ(p.publisher(), "Ubuntu Core developers <u@example.com>");
  EXPECT_EQ(p.size_bytes(), 131u * 1024);
  EXPECT_TRUE(status.problems.empty());
}

TEST(DpkgParser, SkipsDeinstalledPackages) {
  DpkgStatus status =
      ParseDpkgStatus(Read(FixturePath("third_party/anchore-syft/syft_dpkg_status_deinstall")));
  EXPECT_EQ(Names(status), (std::vector<std::string>{"linux-image-6.14.0-1012-aws"}));
  EXPECT_TRUE(status.problems.empty());
}

TEST(DpkgParser, RecoversThePackagesOfTrivysCorruptedStatus) {
  DpkgStatus status = ParseDpkgStatus(
      Read(FixturePath("third_party/aquasecurity-trivy/trivy_corrupted_dpkg_status")));
  // The expectation trivy itself holds for this file (expected.tsv beside it).
  EXPECT_EQ(Names(status), (std::vector<std::string>{"libpam-runtime", "libpam-modules-bin",
                                                     "makedev", "libgcc1"}));
  EXPECT_EQ(status.packages[3].version(), "1:5.1.1-12ubuntu1");
  EXPECT_EQ(status.packages[0].source_package(), "pam");
  ASSERT_EQ(status.problems.size(), 2u);
  EXPECT_NE(status.problems[0].find("brokenPackageWithNoVersionThatShouldGetThrownOut"),
            std::string::npos);
  EXPECT_NE(status.problems[1].find("invalidpkg"), std::string::npos);
}

TEST(DpkgParser, ReportsStanzaWithoutFieldSyntax) {
  DpkgStatus status =
      ParseDpkgStatus(Read(FixturePath("third_party/anchore-syft/syft_dpkg_status_corrupt")));
  EXPECT_TRUE(status.packages.empty());
  ASSERT_EQ(status.problems.size(), 1u);
  EXPECT_NE(status.problems[0].find("line 1"), std::string::npos);
}

TEST(DpkgParser, ReportsEmptyPackageNameAndMissingVersion) {
  DpkgStatus status =
      ParseDpkgStatus(Read(FixturePath("third_party/anchore-syft/syft_dpkg_status_multiple")));
  EXPECT_EQ(Names(status), (std::vector<std::string>{"tzdata", "util-linux"}));
  EXPECT_EQ(status.problems.size(), 2u);
}

TEST(DpkgParser, KeepsGoodStanzasAroundABrokenOne) {
  DpkgStatus status = ParseDpkgStatus(
      "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
      "Package: b\nStatus: install ok installed\nno colon here\nVersion: 2\n\n"
      "Package: c\nStatus: install ok installed\nVersion: 3\n");
  EXPECT_EQ(Names(status), (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(status.problems.size(), 1u);
  EXPECT_NE(status.problems[0].find("line 5"), std::string::npos);
}

}  // namespace
}  // namespace estate::agent
