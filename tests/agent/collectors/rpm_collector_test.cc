#include "agent/collectors/rpm_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "estate/text.h"
#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::FixturePath;

const char kMarinerDb[] = "third_party/knqyf263-go-rpmdb/gorpmdb_cbl-mariner-2.0_rpmdb.sqlite";

TEST(RpmSqliteReader, ReadsEveryPackageOfTheMarinerDatabase) {
  auto db = ReadRpmSqlite(FixturePath(kMarinerDb));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE(db->problems.empty());
  // The list beside the database: Name Epoch Version Release Arch SourceRpm.
  std::ifstream list(FixturePath(std::string(kMarinerDb) + ".pkglist.tsv"));
  std::string line;
  std::getline(list, line);  // header
  std::map<std::string, std::string> expected;
  while (std::getline(list, line)) {
    auto f = Split(line, '\t');
    ASSERT_EQ(f.size(), 6u) << line;
    std::string version = std::string(f[2]) + "-" + std::string(f[3]);
    if (!f[1].empty() && f[1] != "0") version = std::string(f[1]) + ":" + version;
    expected[std::string(f[0]) + "." + std::string(f[4])] = version;
  }
  ASSERT_EQ(db->packages.size(), expected.size());
  for (const auto& p : db->packages) {
    EXPECT_EQ(expected[p.name() + "." + p.architecture()], p.version()) << p.name();
    EXPECT_EQ(p.source(), "rpm");
  }
}

TEST(RpmSqliteReader, ReadsCurlLikeGoRpmdbDoes) {
  auto db = ReadRpmSqlite(FixturePath(kMarinerDb));
  ASSERT_TRUE(db.ok());
  const v1::Package* curl = nullptr;
  for (const auto& p : db->packages) {
    if (p.name() == "curl") curl = &p;
  }
  ASSERT_NE(curl, nullptr);
  EXPECT_EQ(curl->version(), "7.76.0-6.cm2");
  EXPECT_EQ(curl->architecture(), "x86_64");
  EXPECT_EQ(curl->source_package(), "curl");
  EXPECT_GT(curl->install_time(), 0);
  EXPECT_GT(curl->size_bytes(), 0u);
}

TEST(RpmHeaderParser, RejectsTruncatedHeader) {
  // Index count 2, data length 100, but no entries or data behind.
  const std::string blob("\0\0\0\x02\0\0\0\x64", 8);
  EXPECT_EQ(ParseRpmHeader(blob).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(ParseRpmHeader("").status().code(), Status::Code::kCorruption);
}

TEST(RpmSqliteReader, ReportsAFileThatIsNotAnRpmDatabase) {
  auto db = ReadRpmSqlite(FixturePath("third_party/anchore-syft/syft_dpkg_status_corrupt"));
  EXPECT_FALSE(db.ok());
}

TEST(RpmCollector, ReadsTheDatabaseUnderTheHostRoot) {
  testing::TempDir root;
  std::filesystem::create_directories(root.path() + "/var/lib/rpm");
  std::filesystem::copy_file(FixturePath(kMarinerDb), root.path() + "/var/lib/rpm/rpmdb.sqlite");
  CollectContext context{HostRoot(root.path()), nullptr, false, ""};
  v1::HostFacts facts;
  MakeRpmCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.software_size(), 129);
  EXPECT_EQ(facts.warnings_size(), 0);
  // Read-only: no journal or lock files appear beside the database.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root.path() + "/var/lib/rpm"),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(RpmCollector, WarnsAboutABerkeleyDbDatabase) {
  testing::TempDir root;
  std::filesystem::create_directories(root.path() + "/var/lib/rpm");
  std::ofstream(root.path() + "/var/lib/rpm/Packages") << "not read";
  CollectContext context{HostRoot(root.path()), nullptr, false, ""};
  v1::HostFacts facts;
  MakeRpmCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.software_size(), 0);
  ASSERT_EQ(facts.warnings_size(), 1);
  EXPECT_NE(facts.warnings(0).find("BerkeleyDB"), std::string::npos);
}

}  // namespace
}  // namespace estate::agent

namespace estate::agent {
namespace {

TEST(OpenPgpIssuer, ReadsTheKeyIdOfAV4SignaturePacket) {
  const std::string key("\x19\x9e\x2f\x91\xfd\x43\x1d\x51", 8);
  // Old-format packet, tag 2 (signature), two-byte length; v4, hashed area: a
  // creation time; unhashed area: the issuer key id (subpacket 16).
  std::string body = std::string("\x04\x00\x01\x08", 4) + std::string("\x00\x06", 2) +
                     std::string("\x05\x02\x65\x00\x00\x00", 6) + std::string("\x00\x0a", 2) +
                     std::string("\x09\x10", 2) + key + std::string("\xab\xcd", 2);
  const std::string packet = std::string("\x89\x00", 2) + static_cast<char>(body.size()) + body;
  EXPECT_EQ(OpenPgpIssuer(packet), "199e2f91fd431d51");
  // The issuer fingerprint (subpacket 33) instead: the key id is its last 8 bytes.
  std::string fpr = std::string("\x04", 1) + std::string(12, '\x11') + key;
  std::string body33 = std::string("\x04\x00\x01\x08", 4) + std::string("\x00\x17", 2) +
                       std::string("\x16\x21", 2) + fpr + std::string("\x00\x00", 2);
  EXPECT_EQ(OpenPgpIssuer(std::string("\x89\x00", 2) + static_cast<char>(body33.size()) + body33),
            "199e2f91fd431d51");
  EXPECT_EQ(OpenPgpIssuer(packet.substr(0, 12)), "");  // truncated: no key, no crash
  EXPECT_EQ(OpenPgpIssuer("not a packet"), "");
}

}  // namespace
}  // namespace estate::agent
