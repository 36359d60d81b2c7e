// SoftwareCatalogue: every package title (name, architecture, source) and
// every version of it that any node reported, each stored once in the
// catalogue table and referred to by id from the nodes' software sets
// (software_set.h). Title and version ids start at 1; 0 means none.
//
// Loaded into memory at start (tens of thousands of entries for a large
// estate). The ingest writer thread interns; an entry new to the catalogue is
// written to the report's batch at once. Rollback() forgets what the current
// report interned when the report is rolled back; Reload() re-reads the store
// after a group failed to commit. Any thread may read.
#ifndef ESTATE_COLLECTOR_RECONCILE_SOFTWARE_CATALOGUE_H_
#define ESTATE_COLLECTOR_RECONCILE_SOFTWARE_CATALOGUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/store/store.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

class SoftwareCatalogue {
 public:
  struct Title {
    std::string name, architecture, source;
    std::vector<uint32_t> versions;  // version ids, oldest first: a rank indexes this
  };
  // A version is also told apart by where it came from (origins and the
  // distribution flag): the same version from the archive and from a local
  // .deb are two entries, judged apart by the policy.
  struct Version {
    uint32_t title = 0;
    std::string version, publisher, source_package;
    uint64_t size_bytes = 0;
    std::vector<std::string> origins;
    bool distribution = false;
    std::string origin_evidence;
  };
  // A package as a node's software set refers to it.
  struct Ref {
    uint32_t title = 0;
    uint32_t rank = 0;
    uint32_t version = 0;
  };

  static Result<std::unique_ptr<SoftwareCatalogue>> Load(Store& store);

  // --- writer thread ---
  Ref Intern(WriteBatch& batch, const v1::Package& package);
  // The title of (name, architecture, source), if known.
  std::optional<uint32_t> FindTitle(std::string_view name, std::string_view architecture,
                                    std::string_view source) const;
  // The current report succeeded: keep what it interned.
  void Commit();
  // The current report was rolled back: forget what it interned.
  void Rollback();
  // Re-reads the store (after a group failed to commit).
  Status Reload(Store& store);

  // --- any thread ---
  // The package a software entry stands for; false when the ids are unknown.
  bool Describe(uint32_t title, uint32_t rank, int64_t install_time, v1::Package* out) const;
  // 0 when unknown.
  uint32_t VersionId(uint32_t title, uint32_t rank) const;
  // The same without the lock: the writer thread only (it alone changes the catalogue).
  uint32_t VersionIdOnWriter(uint32_t title, uint32_t rank) const {
    if (title == 0 || title > titles_.size()) return 0;
    const Title& t = titles_[title - 1];
    return rank < t.versions.size() ? t.versions[rank] : 0;
  }
  std::optional<Title> TitleById(uint32_t title) const;
  // Names only, for messages: "" when unknown.
  std::string TitleName(uint32_t title) const;
  std::string VersionText(uint32_t version) const;
  std::optional<Version> VersionById(uint32_t version) const;
  // The version as a package (name, version, publisher, origins), for the policy.
  bool PackageOfVersion(uint32_t version, v1::Package* out) const;
  // Two versions of one title that differ only in where they came from.
  bool SameVersionText(uint32_t a, uint32_t b) const;
  // Every title of that name (all architectures and sources).
  std::vector<uint32_t> TitlesNamed(std::string_view name) const;
  size_t title_count() const;
  size_t version_count() const;

 private:
  SoftwareCatalogue() = default;
  Status LoadFrom(Store& store);
  Ref InternSlow(WriteBatch& batch, const v1::Package& package);
  void Clear();

  mutable std::shared_mutex mu_;  // writers: the ingest thread; readers: anyone
  std::vector<Title> titles_;     // [id - 1]
  std::vector<Version> versions_;
  // Writer-side indexes (only the ingest thread reads or writes them).
  std::unordered_map<std::string, uint32_t> title_ids_;    // name \0 arch \0 source
  std::unordered_map<std::string, uint32_t> version_ids_;  // be32 title + version + origin
  // name \0 arch \0 source \0 version + origin -> the whole reference: one lookup per
  // package of a report once the catalogue knows it.
  std::unordered_map<std::string, Ref> refs_;
  std::unordered_map<std::string, std::vector<uint32_t>> titles_by_name_;
  size_t kept_titles_ = 0, kept_versions_ = 0;  // sizes at the last Commit
  std::string scratch_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_SOFTWARE_CATALOGUE_H_
