#include "estate/oui_registry.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "estate/text.h"

namespace estate {
namespace {

// Reads one CSV field at `pos` (RFC 4180 quoting: quoted fields may hold
// commas, doubled quotes and newlines) and leaves `pos` on the separator
// after it. `*end_of_record` tells whether that separator ended the line.
std::string_view NextField(std::string_view csv, size_t& pos, std::string& scratch,
                           bool* end_of_record) {
  std::string_view field;
  if (pos < csv.size() && csv[pos] == '"') {
    scratch.clear();
    ++pos;
    while (pos < csv.size()) {
      const size_t quote = csv.find('"', pos);
      if (quote == std::string_view::npos) {
        scratch.append(csv.substr(pos));
        pos = csv.size();
        break;
      }
      scratch.append(csv.substr(pos, quote - pos));
      pos = quote + 1;
      if (pos < csv.size() && csv[pos] == '"') {
        scratch += '"';
        ++pos;
      } else {
        break;
      }
    }
    field = scratch;
    const size_t stop = csv.find_first_of(",\n", pos);  // skip junk after the quote
    pos = stop == std::string_view::npos ? csv.size() : stop;
  } else {
    const size_t stop = csv.find_first_of(",\n", pos);
    const size_t end = stop == std::string_view::npos ? csv.size() : stop;
    field = csv.substr(pos, end - pos);
    pos = end;
  }
  *end_of_record = pos >= csv.size() || csv[pos] == '\n';
  if (pos < csv.size()) ++pos;
  return field;
}

void SkipRecord(std::string_view csv, size_t& pos, bool end_of_record, std::string& scratch) {
  while (!end_of_record && pos < csv.size()) NextField(csv, pos, scratch, &end_of_record);
}

bool IsPlainText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

}  // namespace

size_t OuiRegistry::AddCsv(std::string_view csv, OuiBlock block, size_t* skipped) {
  const size_t digits = static_cast<size_t>(block) / 4;
  std::vector<Entry>& table =
      block == OuiBlock::kMaL ? mal_ : (block == OuiBlock::kMaM ? mam_ : mas_);
  size_t added = 0, bad = 0, pos = 0;
  std::string registry_scratch, assignment_scratch, name_scratch;
  bool first = true;
  while (pos < csv.size()) {
    bool eor = false;
    const std::string_view registry = Trim(NextField(csv, pos, registry_scratch, &eor));
    if (first && registry == "Registry") {  // the header line
      first = false;
      SkipRecord(csv, pos, eor, name_scratch);
      continue;
    }
    first = false;
    if (eor) {
      if (!registry.empty() && registry != "\r") ++bad;
      continue;
    }
    const std::string_view assignment = Trim(NextField(csv, pos, assignment_scratch, &eor));
    if (eor) {
      ++bad;
      continue;
    }
    std::string_view name = Trim(NextField(csv, pos, name_scratch, &eor));
    SkipRecord(csv, pos, eor, registry_scratch);
    auto prefix = ParseHexUint(assignment);
    if (!prefix || assignment.size() != digits) {
      ++bad;
      continue;
    }
    if (only_ != nullptr) {
      const int shift = 48 - static_cast<int>(block);
      auto it = std::lower_bound(only_->begin(), only_->end(), *prefix << shift);
      if (it == only_->end() || (*it >> shift) != *prefix) continue;
    }
    std::string sanitized;
    if (!IsPlainText(name)) {
      sanitized = SanitizeUtf8(name);
      name = sanitized;
    }
    table.push_back(
        {*prefix, static_cast<uint32_t>(names_.size()), static_cast<uint32_t>(name.size())});
    names_.append(name);
    ++added;
  }
  if (skipped) *skipped += bad;
  return added;
}

void OuiRegistry::Finish() {
  for (auto* t : {&mal_, &mam_, &mas_}) {
    std::stable_sort(t->begin(), t->end());
    t->shrink_to_fit();
  }
  names_.shrink_to_fit();
}

Result<OuiRegistry> OuiRegistry::Load(const HostRoot& root) { return LoadFiles(root, nullptr); }

Result<OuiRegistry> OuiRegistry::LoadFor(const HostRoot& root, std::vector<uint64_t> macs) {
  std::sort(macs.begin(), macs.end());
  return LoadFiles(root, &macs);
}

Result<OuiRegistry> OuiRegistry::LoadFiles(const HostRoot& root,
                                           const std::vector<uint64_t>* only) {
  OuiRegistry registry;
  registry.only_ = only;
  const struct {
    const char* path;
    OuiBlock block;
  } kFiles[] = {{"/usr/share/ieee-data/oui.csv", OuiBlock::kMaL},
                {"/usr/share/ieee-data/mam.csv", OuiBlock::kMaM},
                {"/usr/share/ieee-data/oui36.csv", OuiBlock::kMaS}};
  int found = 0;
  for (const auto& file : kFiles) {
    // Mapped rather than read: the page cache serves it without a copy.
    const std::string path = root.Path(file.path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st;
    if (::fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (64 << 20)) {
      ::close(fd);
      continue;
    }
    const size_t size = static_cast<size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    const int err = errno;
    ::close(fd);
    if (map == MAP_FAILED) return Status::FromErrno("mapping " + path, err);
    ++found;
    if (only == nullptr) registry.names_.reserve(registry.names_.size() + size / 3);
    registry.AddCsv(std::string_view(static_cast<const char*>(map), size), file.block);
    ::munmap(map, size);
  }
  if (found == 0) {
    return Status::NotFound("no IEEE registry under " + root.Path("/usr/share/ieee-data") +
                            " (install the ieee-data package)");
  }
  registry.only_ = nullptr;
  registry.Finish();
  return registry;
}

std::string_view OuiRegistry::Find(const std::vector<Entry>& table, uint64_t prefix) const {
  auto it = std::lower_bound(table.begin(), table.end(), Entry{prefix, 0, 0});
  if (it == table.end() || it->prefix != prefix) return {};
  return std::string_view(names_).substr(it->offset, it->length);
}

std::string_view OuiRegistry::LookupBytes(const uint8_t mac[6]) const {
  uint64_t v = 0;
  for (int i = 0; i < 6; ++i) v = v << 8 | mac[i];
  if (auto s = Find(mas_, v >> 12); !s.empty()) return s;
  if (auto s = Find(mam_, v >> 20); !s.empty()) return s;
  return Find(mal_, v >> 24);
}

std::string_view OuiRegistry::Lookup(std::string_view mac) const {
  auto canonical = NormalizeMac(mac);
  if (!canonical) return {};
  uint8_t bytes[6];
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<uint8_t>(*ParseHexUint(std::string_view(*canonical).substr(i * 3, 2)));
  }
  return LookupBytes(bytes);
}

}  // namespace estate
