#include "collector/reconcile/software_catalogue.h"

#include <algorithm>
#include <mutex>

#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {
namespace {

void AppendTitleKey(std::string* out, std::string_view name, std::string_view architecture,
                    std::string_view source) {
  out->clear();
  out->append(name);
  out->push_back('\0');
  out->append(architecture);
  out->push_back('\0');
  out->append(source);
}

// "\0" + distribution flag + each origin after "\x1f": empty origins (an
// older agent) give "\0" "0", the key such versions were stored under.
template <typename Origins>
void AppendOrigin(std::string* out, const Origins& origins, bool distribution) {
  out->push_back('\0');
  out->push_back(distribution ? '1' : '0');
  for (const auto& o : origins) {
    out->push_back('\x1f');
    out->append(o);
  }
}

void AppendVersionKey(std::string* out, uint32_t title, std::string_view version) {
  out->clear();
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(title >> shift));
  out->append(version);
}

}  // namespace

Result<std::unique_ptr<SoftwareCatalogue>> SoftwareCatalogue::Load(Store& store) {
  std::unique_ptr<SoftwareCatalogue> catalogue(new SoftwareCatalogue());
  ESTATE_RETURN_IF_ERROR(catalogue->LoadFrom(store));
  return catalogue;
}

void SoftwareCatalogue::Clear() {
  titles_.clear();
  versions_.clear();
  title_ids_.clear();
  version_ids_.clear();
  titles_by_name_.clear();
  refs_.clear();
  kept_titles_ = kept_versions_ = 0;
}

Status SoftwareCatalogue::LoadFrom(Store& store) {
  std::unique_lock lock(mu_);
  Clear();
  Status bad;
  // Ids are dense and keys sort by id, so entries arrive in id order.
  ESTATE_RETURN_IF_ERROR(store.Scan(
      Table::kCatalogue, CatalogueTitlePrefix(), [&](std::string_view key, std::string_view value) {
        v1::CatalogueTitle t;
        if (!t.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
            CatalogueIdFromKey(key) != titles_.size() + 1) {
          bad = Status::Corruption("catalogue: bad title record");
          return false;
        }
        titles_.push_back({t.name(), t.architecture(), t.source(), {}});
        AppendTitleKey(&scratch_, t.name(), t.architecture(), t.source());
        title_ids_[scratch_] = static_cast<uint32_t>(titles_.size());
        titles_by_name_[t.name()].push_back(static_cast<uint32_t>(titles_.size()));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kCatalogue, CatalogueVersionPrefix(),
                 [&](std::string_view key, std::string_view value) {
                   v1::CatalogueVersion v;
                   if (!v.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
                       CatalogueIdFromKey(key) != versions_.size() + 1 || v.title() == 0 ||
                       v.title() > titles_.size()) {
                     bad = Status::Corruption("catalogue: bad version record");
                     return false;
                   }
                   versions_.push_back({v.title(),
                                        v.version(),
                                        v.publisher(),
                                        v.source_package(),
                                        v.size_bytes(),
                                        {v.origins().begin(), v.origins().end()},
                                        v.distribution(),
                                        v.origin_evidence()});
                   const auto id = static_cast<uint32_t>(versions_.size());
                   titles_[v.title() - 1].versions.push_back(id);
                   AppendVersionKey(&scratch_, v.title(), v.version());
                   AppendOrigin(&scratch_, v.origins(), v.distribution());
                   version_ids_[scratch_] = id;
                   return true;
                 }));
  ESTATE_RETURN_IF_ERROR(bad);
  kept_titles_ = titles_.size();
  kept_versions_ = versions_.size();
  return Status::Ok();
}

Status SoftwareCatalogue::Reload(Store& store) { return LoadFrom(store); }

std::optional<uint32_t> SoftwareCatalogue::FindTitle(std::string_view name,
                                                     std::string_view architecture,
                                                     std::string_view source) const {
  std::string key;
  AppendTitleKey(&key, name, architecture, source);
  auto it = title_ids_.find(key);
  if (it == title_ids_.end()) return std::nullopt;
  return it->second;
}

SoftwareCatalogue::Ref SoftwareCatalogue::Intern(WriteBatch& batch, const v1::Package& package) {
  AppendTitleKey(&scratch_, package.name(), package.architecture(), package.source());
  scratch_.push_back('\0');
  scratch_.append(package.version());
  AppendOrigin(&scratch_, package.origins(), package.distribution());
  if (auto it = refs_.find(scratch_); it != refs_.end()) return it->second;
  std::string ref_key = scratch_;
  const Ref ref = InternSlow(batch, package);
  refs_.emplace(std::move(ref_key), ref);
  return ref;
}

SoftwareCatalogue::Ref SoftwareCatalogue::InternSlow(WriteBatch& batch,
                                                     const v1::Package& package) {
  AppendTitleKey(&scratch_, package.name(), package.architecture(), package.source());
  uint32_t title;
  if (auto it = title_ids_.find(scratch_); it != title_ids_.end()) {
    title = it->second;
  } else {
    {
      std::unique_lock lock(mu_);
      titles_.push_back({package.name(), package.architecture(), package.source(), {}});
      title = static_cast<uint32_t>(titles_.size());
      titles_by_name_[package.name()].push_back(title);
    }
    title_ids_.emplace(scratch_, title);
    v1::CatalogueTitle record;
    record.set_name(package.name());
    record.set_architecture(package.architecture());
    record.set_source(package.source());
    PutRecord(batch, Table::kCatalogue, CatalogueTitleKey(title), record);
  }
  AppendVersionKey(&scratch_, title, package.version());
  AppendOrigin(&scratch_, package.origins(), package.distribution());
  uint32_t version;
  if (auto it = version_ids_.find(scratch_); it != version_ids_.end()) {
    version = it->second;
  } else {
    {
      std::unique_lock lock(mu_);
      versions_.push_back({title,
                           package.version(),
                           package.publisher(),
                           package.source_package(),
                           package.size_bytes(),
                           {package.origins().begin(), package.origins().end()},
                           package.distribution(),
                           package.origin_evidence()});
      version = static_cast<uint32_t>(versions_.size());
      titles_[title - 1].versions.push_back(version);
    }
    version_ids_.emplace(scratch_, version);
    v1::CatalogueVersion record;
    record.set_title(title);
    record.set_version(package.version());
    record.set_publisher(package.publisher());
    record.set_size_bytes(package.size_bytes());
    record.set_source_package(package.source_package());
    for (const auto& o : package.origins()) record.add_origins(o);
    record.set_distribution(package.distribution());
    record.set_origin_evidence(package.origin_evidence());
    PutRecord(batch, Table::kCatalogue, CatalogueVersionKey(version), record);
  }
  const auto& versions = titles_[title - 1].versions;
  const auto rank = static_cast<uint32_t>(
      std::find(versions.rbegin(), versions.rend(), version).base() - versions.begin() - 1);
  return {title, rank, version};
}

void SoftwareCatalogue::Commit() {
  kept_titles_ = titles_.size();
  kept_versions_ = versions_.size();
}

void SoftwareCatalogue::Rollback() {
  if (titles_.size() == kept_titles_ && versions_.size() == kept_versions_) return;
  std::unique_lock lock(mu_);
  while (versions_.size() > kept_versions_) {
    const Version& v = versions_.back();
    const Title& owner = titles_[v.title - 1];
    AppendTitleKey(&scratch_, owner.name, owner.architecture, owner.source);
    scratch_.push_back('\0');
    scratch_.append(v.version);
    AppendOrigin(&scratch_, v.origins, v.distribution);
    refs_.erase(scratch_);
    titles_[v.title - 1].versions.pop_back();
    AppendVersionKey(&scratch_, v.title, v.version);
    AppendOrigin(&scratch_, v.origins, v.distribution);
    version_ids_.erase(scratch_);
    versions_.pop_back();
  }
  while (titles_.size() > kept_titles_) {
    const Title& t = titles_.back();
    AppendTitleKey(&scratch_, t.name, t.architecture, t.source);
    title_ids_.erase(scratch_);
    auto& named = titles_by_name_[t.name];
    named.pop_back();
    if (named.empty()) titles_by_name_.erase(t.name);
    titles_.pop_back();
  }
}

bool SoftwareCatalogue::Describe(uint32_t title, uint32_t rank, int64_t install_time,
                                 v1::Package* out) const {
  std::shared_lock lock(mu_);
  if (title == 0 || title > titles_.size()) return false;
  const Title& t = titles_[title - 1];
  if (rank >= t.versions.size()) return false;
  const Version& v = versions_[t.versions[rank] - 1];
  out->set_name(t.name);
  out->set_architecture(t.architecture);
  out->set_source(t.source);
  out->set_version(v.version);
  out->set_publisher(v.publisher);
  out->set_size_bytes(v.size_bytes);
  out->set_source_package(v.source_package);
  out->set_install_time(install_time);
  out->clear_origins();
  for (const auto& o : v.origins) out->add_origins(o);
  out->set_distribution(v.distribution);
  out->set_origin_evidence(v.origin_evidence);
  return true;
}

bool SoftwareCatalogue::PackageOfVersion(uint32_t version, v1::Package* out) const {
  std::shared_lock lock(mu_);
  if (version == 0 || version > versions_.size()) return false;
  const Version& v = versions_[version - 1];
  const Title& t = titles_[v.title - 1];
  out->set_name(t.name);
  out->set_architecture(t.architecture);
  out->set_source(t.source);
  out->set_version(v.version);
  out->set_publisher(v.publisher);
  out->clear_origins();
  for (const auto& o : v.origins) out->add_origins(o);
  out->set_distribution(v.distribution);
  out->set_origin_evidence(v.origin_evidence);
  return true;
}

bool SoftwareCatalogue::SameVersionText(uint32_t a, uint32_t b) const {
  std::shared_lock lock(mu_);
  if (a == 0 || b == 0 || a > versions_.size() || b > versions_.size()) return false;
  return versions_[a - 1].title == versions_[b - 1].title &&
         versions_[a - 1].version == versions_[b - 1].version;
}

uint32_t SoftwareCatalogue::VersionId(uint32_t title, uint32_t rank) const {
  std::shared_lock lock(mu_);
  if (title == 0 || title > titles_.size()) return 0;
  const Title& t = titles_[title - 1];
  return rank < t.versions.size() ? t.versions[rank] : 0;
}

std::optional<SoftwareCatalogue::Title> SoftwareCatalogue::TitleById(uint32_t title) const {
  std::shared_lock lock(mu_);
  if (title == 0 || title > titles_.size()) return std::nullopt;
  return titles_[title - 1];
}

std::string SoftwareCatalogue::TitleName(uint32_t title) const {
  std::shared_lock lock(mu_);
  return title == 0 || title > titles_.size() ? "" : titles_[title - 1].name;
}

std::string SoftwareCatalogue::VersionText(uint32_t version) const {
  std::shared_lock lock(mu_);
  return version == 0 || version > versions_.size() ? "" : versions_[version - 1].version;
}

std::optional<SoftwareCatalogue::Version> SoftwareCatalogue::VersionById(uint32_t version) const {
  std::shared_lock lock(mu_);
  if (version == 0 || version > versions_.size()) return std::nullopt;
  return versions_[version - 1];
}

std::vector<uint32_t> SoftwareCatalogue::TitlesNamed(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = titles_by_name_.find(std::string(name));
  return it == titles_by_name_.end() ? std::vector<uint32_t>() : it->second;
}

size_t SoftwareCatalogue::title_count() const {
  std::shared_lock lock(mu_);
  return titles_.size();
}

size_t SoftwareCatalogue::version_count() const {
  std::shared_lock lock(mu_);
  return versions_.size();
}

}  // namespace estate::collector
