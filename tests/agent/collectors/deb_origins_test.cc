#include "agent/collectors/deb_origins.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "agent/collectors/apt_lists.h"
#include "agent/collectors/dpkg_collector.h"
#include "agent/compressed_reader.h"
#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::RootPath;
using testing::TempDir;

struct Origin {
  std::vector<std::string> origins;
  bool distribution;
  std::string evidence;
  bool operator==(const Origin& o) const {
    return origins == o.origins && distribution == o.distribution && evidence == o.evidence;
  }
};
std::ostream& operator<<(std::ostream& os, const Origin& o) {
  os << "{";
  for (const auto& s : o.origins) os << s << ";";
  return os << (o.distribution ? " distribution " : " foreign ") << o.evidence << "}";
}

// The packages of a fixture root's dpkg status, their origins resolved.
std::map<std::string, Origin> Resolve(const std::string& machine, const std::string& cache_dir,
                                      std::vector<std::string>* warnings) {
  auto text = HostRoot(RootPath(machine)).ReadFile("/var/lib/dpkg/status");
  EXPECT_TRUE(text.ok());
  DpkgStatus status = ParseDpkgStatus(text.ok() ? *text : "");
  ResolveDebOrigins(HostRoot(RootPath(machine)), cache_dir, &status.packages, warnings);
  std::map<std::string, Origin> out;
  for (const auto& p : status.packages) {
    out[p.name()] = {
        {p.origins().begin(), p.origins().end()}, p.distribution(), p.origin_evidence()};
  }
  return out;
}

TEST(AptRelease, ReadsTheSignedFieldsOfAnInRelease) {
  const AptRelease r = ParseAptRelease(
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nLabel: Debian-Security\n"
      "Suite: oldstable-security\nCodename: bookworm-security\nSHA256:\n 01 2 main/Packages\n"
      "-----BEGIN PGP SIGNATURE-----\n\nOrigin: forged\n-----END PGP SIGNATURE-----\n");
  EXPECT_EQ(r.origin, "Debian");
  EXPECT_EQ(r.label, "Debian-Security");
  EXPECT_EQ(r.suite, "oldstable-security");
  EXPECT_EQ(r.codename, "bookworm-security");
}

TEST(AptListScanner, FindsTheSamePackagesWhateverTheChunkBoundaries) {
  const std::string list =
      "Package: a\nVersion: 1\nArchitecture: amd64\nDepends: x\n\n"
      "Package: skipped\nVersion: 9\nArchitecture: amd64\nDescription: long\n more\n\n"
      "Package: b\nArchitecture: all\nVersion: 2.0-1\n\n"
      "Package: c\nVersion: 3.1\nArchitecture: amd64\n\n"
      "Package: d\nVersion: 1\nArchitecture: arm64\n";
  const std::vector<AptWanted> wanted = {
      {"a", "amd64", "1"}, {"b", "all", "2.0-1"}, {"c", "amd64", "3.0"}, {"d", "amd64", "1"}};
  using C = AptListScanner::Carried;
  const std::vector<C> expected = {C::kExact, C::kExact, C::kNewer, C::kNo};
  for (size_t step : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, list.size()}) {
    AptListScanner scanner(wanted);
    for (size_t at = 0; at < list.size(); at += step)
      scanner.Feed(std::string_view(list).substr(at, step));
    scanner.Finish();
    EXPECT_EQ(scanner.carried(), expected) << "chunks of " << step;
    EXPECT_EQ(scanner.stanzas(), 5u) << "chunks of " << step;
    EXPECT_EQ(scanner.malformed(), 0u);
  }
}

TEST(DebOrigins, NamesTheSourcesThatCarryEachInstalledVersion) {
  std::vector<std::string> warnings;
  const auto got = Resolve("deb-origins", "", &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  const std::map<std::string, Origin> expected = {
      {"bash", {{"Debian/bookworm"}, true, "apt-lists"}},  // .lz4 list
      // The point release replaced it; the archive still carries the package.
      {"libssl3", {{"Debian/bookworm"}, true, "superseded"}},
      {"tzdata", {{"Debian/bookworm", "Debian/bookworm-updates"}, true, "apt-lists"}},  // .xz
      {"curl", {{"Debian/bookworm-security"}, true, "apt-lists"}},                      // .gz
      {"netcat-traditional", {{"Debian/bookworm"}, true, "apt-lists"}},
      {"google-chrome-stable", {{"Google LLC/stable"}, false, "apt-lists"}},  // plain
      // The archive has it for arm64 only: this amd64 host's copy is a local .deb.
      {"site-agent-tools", {{"local"}, false, "apt-lists"}},
  };
  EXPECT_EQ(got, expected);
}

TEST(DebOrigins, WithoutListsSaysOriginUnknownAndKeepsTheMaintainerEvidence) {
  std::vector<std::string> warnings;
  const auto got = Resolve("deb-nolists", "", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no apt package lists"), std::string::npos) << warnings[0];
  EXPECT_EQ(got.at("bash"), (Origin{{"unknown"}, true, "maintainer"}));
  EXPECT_EQ(got.at("libssl3"),
            (Origin{{"unknown"}, true, "maintainer"}));  // alioth-lists.debian.net
  EXPECT_EQ(got.at("google-chrome-stable"), (Origin{{"unknown"}, false, "maintainer"}));
  EXPECT_EQ(got.at("site-agent-tools"), (Origin{{"unknown"}, false, "maintainer"}));
}

TEST(DebOrigins, ACorruptListIsAWarningAndProvesNothingAbsent) {
  std::vector<std::string> warnings;
  const auto got = Resolve("deb-corrupt-list", "", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("main_binary-amd64_Packages.gz"), std::string::npos) << warnings[0];
  // Found in the readable list.
  EXPECT_EQ(got.at("google-chrome-stable").origins,
            std::vector<std::string>{"dl.google.com"});  // that list has no Release file
  // Not found, but a list could not be read: unknown, not local.
  EXPECT_EQ(got.at("bash"), (Origin{{"unknown"}, true, "maintainer"}));
  EXPECT_EQ(got.at("site-agent-tools"), (Origin{{"unknown"}, false, "maintainer"}));
}

TEST(DebOrigins, TheCacheAnswersUntilAListChanges) {
  TempDir root_copy, cache;
  std::filesystem::copy(RootPath("deb-origins"), root_copy.path(),
                        std::filesystem::copy_options::recursive);
  auto resolve = [&] {
    auto text = HostRoot(root_copy.path()).ReadFile("/var/lib/dpkg/status");
    DpkgStatus status = ParseDpkgStatus(*text);
    std::vector<std::string> warnings;
    ResolveDebOrigins(HostRoot(root_copy.path()), cache.path(), &status.packages, &warnings);
    for (const auto& p : status.packages) {
      if (p.name() == "bash") return p.origins(0);
    }
    return std::string();
  };
  EXPECT_EQ(resolve(), "Debian/bookworm");
  const std::string cache_file = cache.path() + "/deb-origins.cache";
  ASSERT_TRUE(std::filesystem::exists(cache_file));
  // Proof that the next run reads the cache, not the lists: edit the cache.
  std::string text;
  {
    std::ifstream in(cache_file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t at = text.find("\tDebian/bookworm\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 17, "\tcached/answer\n");
  std::ofstream(cache_file) << text;
  EXPECT_EQ(resolve(), "cached/answer");
  // A list that changes (apt update) makes it stale.
  const std::string list = root_copy.path() +
                           "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-"
                           "amd64_Packages.lz4";
  struct utimbuf times = {1700000000, 1700000000};
  ASSERT_EQ(::utime(list.c_str(), &times), 0);
  EXPECT_EQ(resolve(), "Debian/bookworm");
}

TEST(CompressedReader, DecodesEveryFormatAptStoresListsIn) {
  const std::string dir = RootPath("deb-origins") + "/var/lib/apt/lists/";
  for (const char* name :
       {"deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.gz",
        "deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.xz",
        "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"}) {
    auto reader = CompressedReader::Open(dir + name);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::string all;
    for (;;) {
      auto chunk = reader->Next();
      ASSERT_TRUE(chunk.ok()) << name << ": " << chunk.status().ToString();
      if (chunk->empty()) break;
      all.append(*chunk);
    }
    EXPECT_EQ(all.rfind("Package: ", 0), 0u) << name;
    EXPECT_EQ(all.substr(all.size() - 2), "\n\n") << name;
  }
}

TEST(CompressedReader, TruncatedDataIsCorruptionNotACrash) {
  TempDir dir;
  const std::string lz4 = RootPath("deb-origins") +
                          "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-"
                          "amd64_Packages.lz4";
  std::ifstream in(lz4, std::ios::binary);
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  for (const char* suffix : {".lz4", ".gz", ".xz"}) {
    const std::string path = dir.path() + "/cut" + suffix;
    std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    auto reader = CompressedReader::Open(path);
    ASSERT_TRUE(reader.ok());
    Status last;
    for (int i = 0; i < 1000; ++i) {
      auto chunk = reader->Next();
      if (!chunk.ok()) {
        last = chunk.status();
        break;
      }
      if (chunk->empty()) break;
    }
    EXPECT_EQ(last.code(), Status::Code::kCorruption) << suffix;
  }
}

}  // namespace
}  // namespace estate::agent
