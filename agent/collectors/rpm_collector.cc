#include "agent/collectors/rpm_collector.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include "agent/collectors/distribution.h"

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
  // Signatures kept in the installed header (OpenPGP signature packets).
  kTagSigPgp = 259,
  kTagSigGpg = 262,
  kTagDsaHeader = 267,
  kTagRsaHeader = 268,
};

enum RpmType : uint32_t {
  kTypeInt32 = 4,
  kTypeInt64 = 5,
  kTypeBin = 7,
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
      const Distribution distribution = ReadDistribution(context.root);
      for (auto& package : db->packages) {
        package.set_distribution(IsDistributionVendor(distribution, package.publisher()));
        *facts->add_software() = std::move(package);
      }
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
  // Origin: the vendor and the key that signed the package.
  if (!publisher.empty()) package.add_origins(publisher);
  for (uint32_t tag : {kTagRsaHeader, kTagDsaHeader, kTagSigPgp, kTagSigGpg}) {
    auto it = entries.find(tag);
    if (it == entries.end() || it->second.type != kTypeBin) continue;
    const Entry& e = it->second;
    const size_t size = std::min<size_t>(e.count, data_length - e.offset);
    const std::string key =
        OpenPgpIssuer(std::string_view(reinterpret_cast<const char*>(store + e.offset), size));
    if (!key.empty()) {
      package.add_origins("key:" + key);
      break;
    }
  }
  if (package.origins().empty()) package.add_origins("unknown");
  package.set_origin_evidence("vendor");
  return package;
}

std::string OpenPgpIssuer(std::string_view packet) {
  const auto* p = reinterpret_cast<const uint8_t*>(packet.data());
  const size_t n = packet.size();
  if (n < 2 || !(p[0] & 0x80)) return "";
  size_t at;
  if (p[0] & 0x40) {  // new format: tag in the low 6 bits, then a length
    if ((p[0] & 0x3f) != 2) return "";
    if (p[1] < 192) {
      at = 2;
    } else if (p[1] < 224) {
      at = 3;
    } else if (p[1] == 255) {
      at = 6;
    } else {
      return "";
    }
  } else {  // old format: tag in bits 5-2, length type in bits 1-0
    if (((p[0] >> 2) & 0x0f) != 2) return "";
    const int length_type = p[0] & 3;
    at = length_type == 0 ? 2 : length_type == 1 ? 3 : length_type == 2 ? 5 : 1;
  }
  auto hex = [](const uint8_t* bytes, size_t count) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < count; ++i) {
      out.push_back(kDigits[bytes[i] >> 4]);
      out.push_back(kDigits[bytes[i] & 15]);
    }
    return out;
  };
  if (at >= n) return "";
  if (p[at] == 3) {  // v3: version, 5, type, time(4), key id(8)
    return at + 15 <= n ? hex(p + at + 7, 8) : "";
  }
  if (p[at] != 4 && p[at] != 5) return "";
  // v4: version, type, key algorithm, hash algorithm, hashed subpackets, unhashed subpackets.
  size_t pos = at + 4;
  for (int area = 0; area < 2; ++area) {
    if (pos + 2 > n) return "";
    const size_t length = (static_cast<size_t>(p[pos]) << 8) | p[pos + 1];
    pos += 2;
    const size_t end = pos + length;
    if (end > n) return "";
    while (pos < end) {
      size_t sub = p[pos];
      size_t header = 1;
      if (sub >= 192 && sub < 255) {
        if (pos + 1 >= end) return "";
        sub = ((sub - 192) << 8) + p[pos + 1] + 192;
        header = 2;
      } else if (sub == 255) {
        if (pos + 5 > end) return "";
        sub = Be32(p + pos + 1);
        header = 5;
      }
      if (sub == 0 || pos + header + sub > end) return "";
      const uint8_t type = p[pos + header] & 0x7f;
      const uint8_t* body = p + pos + header + 1;
      const size_t body_size = sub - 1;
      if (type == 16 && body_size == 8) return hex(body, 8);                        // issuer key id
      if (type == 33 && body_size == 21 && body[0] == 4) return hex(body + 13, 8);  // fingerprint
      pos += header + sub;
    }
  }
  return "";
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
