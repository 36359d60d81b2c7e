#include "agent/collectors/rpm_collector.h"

#include <sqlite3.h>

#include <cstdint>
#include <map>

namespace estate::agent {
namespace {

enum RpmTag : uint32_t {
  kTagName = 1000,
  kTagVersion = 1001,
  kTagRelease = 1002,
  kTagEpoch = 1003,
  kTagInstallTime = 1008,
  kTagSize = 1009,
  kTagVendor = 1011,
  kTagPackager = 1015,
  kTagArch = 1022,
  kTagSourceRpm = 1044,
  kTagLongSize = 5009,
};

enum RpmType : uint32_t {
  kTypeInt32 = 4,
  kTypeInt64 = 5,
  kTypeString = 6,
  kTypeStringArray = 8,
  kTypeI18nString = 9,
};

constexpr size_t kIndexEntryBytes = 16;
constexpr uint32_t kMaxIndexEntries = 0x0000ffff;
constexpr uint32_t kMaxDataBytes = 0x0fffffff;

uint32_t Be32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

uint64_t Be64(const uint8_t* p) { return (static_cast<uint64_t>(Be32(p)) << 32) | Be32(p + 4); }

struct Entry {
  uint32_t type;
  uint32_t offset;
  uint32_t count;
};

class RpmCollector : public Collector {
 public:
  std::string_view Name() const override { return "rpm"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    for (std::string_view path :
         {"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite"}) {
      if (!context.root.Exists(path)) continue;
      auto db = ReadRpmSqlite(context.root.Path(path));
      if (!db.ok()) {
        AddWarning(facts, Name(), db.status());
        return;
      }
      for (size_t i = 0; i < db->problems.size() && i < 20; ++i) {
        AddWarning(facts, Name(), db->problems[i]);
      }
      for (auto& package : db->packages) *facts->add_software() = std::move(package);
      return;
    }
    if (context.root.Exists("/var/lib/rpm/Packages")) {
      AddWarning(facts, Name(), "BerkeleyDB rpm database (rpm < 4.16) is not read");
    }
  }
};

}  // namespace

Result<v1::Package> ParseRpmHeader(std::string_view blob) {
  const auto* data = reinterpret_cast<const uint8_t*>(blob.data());
  if (blob.size() < 8) return Status::Corruption("rpm header shorter than its preamble");
  const uint32_t index_count = Be32(data);
  const uint32_t data_length = Be32(data + 4);
  if (index_count == 0 || index_count > kMaxIndexEntries || data_length > kMaxDataBytes) {
    return Status::Corruption("rpm header has an implausible index count or data length");
  }
  const size_t store_offset = 8 + static_cast<size_t>(index_count) * kIndexEntryBytes;
  if (store_offset + data_length > blob.size()) {
    return Status::Corruption("rpm header is truncated");
  }
  const uint8_t* store = data + store_offset;
  std::map<uint32_t, Entry> entries;
  for (uint32_t i = 0; i < index_count; ++i) {
    const uint8_t* e = data + 8 + static_cast<size_t>(i) * kIndexEntryBytes;
    Entry entry{Be32(e + 4), Be32(e + 8), Be32(e + 12)};
    if (entry.offset >= data_length) continue;  // region tags may point at the end
    entries.emplace(Be32(e), entry);
  }
  auto string_tag = [&](uint32_t tag) -> std::string {
    auto it = entries.find(tag);
    if (it == entries.end()) return std::string();
    const Entry& e = it->second;
    if (e.type != kTypeString && e.type != kTypeI18nString && e.type != kTypeStringArray) {
      return std::string();
    }
    const char* start = reinterpret_cast<const char*>(store + e.offset);
    size_t max = data_length - e.offset;
    size_t n = strnlen(start, max);
    if (n == max) return std::string();  // not NUL-terminated inside the store
    return std::string(start, n);
  };
  auto int_tag = [&](uint32_t tag) -> std::optional<uint64_t> {
    auto it = entries.find(tag);
    if (it == entries.end() || it->second.count < 1) return std::nullopt;
    const Entry& e = it->second;
    if (e.type == kTypeInt32 && e.offset + 4 <= data_length) return Be32(store + e.offset);
    if (e.type == kTypeInt64 && e.offset + 8 <= data_length) return Be64(store + e.offset);
    return std::nullopt;
  };
  v1::Package package;
  package.set_name(string_tag(kTagName));
  if (package.name().empty()) return Status::Corruption("rpm header has no name");
  std::string version = string_tag(kTagVersion);
  const std::string release = string_tag(kTagRelease);
  if (!release.empty()) version += "-" + release;
  if (auto epoch = int_tag(kTagEpoch); epoch && *epoch != 0) {
    version = std::to_string(*epoch) + ":" + version;
  }
  package.set_version(version);
  package.set_architecture(string_tag(kTagArch));
  package.set_source("rpm");
  if (auto t = int_tag(kTagInstallTime)) package.set_install_time(static_cast<int64_t>(*t));
  if (auto size = int_tag(kTagLongSize)) {
    package.set_size_bytes(*size);
  } else if (auto size32 = int_tag(kTagSize)) {
    package.set_size_bytes(*size32);
  }
  std::string publisher = string_tag(kTagVendor);
  if (publisher.empty()) publisher = string_tag(kTagPackager);
  package.set_publisher(publisher);
  // "curl-7.76.0-6.cm2.src.rpm" -> "curl": drop ".src.rpm", then version and release.
  std::string source = string_tag(kTagSourceRpm);
  for (int i = 0; i < 3 && !source.empty(); ++i) {
    size_t cut = i == 0 ? source.rfind(".src.rpm") : source.rfind('-');
    if (cut == std::string::npos) {
      source.clear();
      break;
    }
    source.resize(cut);
  }
  package.set_source_package(source);
  return package;
}

Result<RpmDatabase> ReadRpmSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  const std::string uri = "file:" + path + "?immutable=1";
  int rc = sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::IoError("opening " + path + ": " + message);
  }
  sqlite3_stmt* stmt = nullptr;
  rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return Status::Corruption(path + " is not an rpm database: " + message);
  }
  RpmDatabase out;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, 1));
    const int size = sqlite3_column_bytes(stmt, 1);
    auto package = ParseRpmHeader(std::string_view(bytes ? bytes : "", static_cast<size_t>(size)));
    if (!package.ok()) {
      out.problems.push_back("header " + std::to_string(sqlite3_column_int64(stmt, 0)) + ": " +
                             package.status().message());
      continue;
    }
    if (package->name() == "gpg-pubkey") continue;  // imported signing keys, not software
    out.packages.push_back(std::move(*package));
  }
  Status status;
  if (rc != SQLITE_DONE) status = Status::IoError("reading " + path + ": " + sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!status.ok()) return status;
  return out;
}

std::unique_ptr<Collector> MakeRpmCollector() { return std::make_unique<RpmCollector>(); }

}  // namespace estate::agent
