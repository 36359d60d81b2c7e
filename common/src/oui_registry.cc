#include "estate/oui_registry.h"

#include <algorithm>

#include "estate/text.h"

namespace estate {
namespace {

// Splits one CSV record starting at `pos` into fields (RFC 4180 quoting,
// quoted fields may hold commas, doubled quotes and newlines). Advances `pos`
// past the record's line end.
std::vector<std::string> NextRecord(std::string_view csv, size_t& pos) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  while (pos < csv.size()) {
    const char c = csv[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < csv.size() && csv[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::optional<uint64_t> ParseHex(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return v;
}

uint64_t MacToInt(const uint8_t mac[6]) {
  uint64_t v = 0;
  for (int i = 0; i < 6; ++i) v = v << 8 | mac[i];
  return v;
}

}  // namespace

uint32_t OuiRegistry::Intern(std::string_view name) {
  auto [it, inserted] = intern_.try_emplace(std::string(name), names_.size());
  if (inserted) names_.emplace_back(name);
  return it->second;
}

size_t OuiRegistry::AddCsv(std::string_view csv, OuiBlock block, size_t* skipped) {
  const size_t digits = static_cast<size_t>(block) / 4;
  std::vector<Entry>& table =
      block == OuiBlock::kMaL ? mal_ : (block == OuiBlock::kMaM ? mam_ : mas_);
  size_t added = 0, bad = 0;
  size_t pos = 0;
  bool header = true;
  while (pos < csv.size()) {
    std::vector<std::string> f = NextRecord(csv, pos);
    if (header) {  // "Registry,Assignment,Organization Name,Organization Address"
      header = false;
      if (!f.empty() && Trim(f[0]) == "Registry") continue;
    }
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    if (f.size() < 3) {
      ++bad;
      continue;
    }
    const std::string_view assignment = Trim(f[1]);
    auto prefix = ParseHex(assignment);
    if (!prefix || assignment.size() != digits) {
      ++bad;
      continue;
    }
    table.push_back({*prefix, Intern(SanitizeUtf8(Trim(f[2])))});
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
  intern_.clear();
  names_.shrink_to_fit();
}

Result<OuiRegistry> OuiRegistry::Load(const HostRoot& root) {
  OuiRegistry registry;
  const struct {
    const char* path;
    OuiBlock block;
  } kFiles[] = {{"/usr/share/ieee-data/oui.csv", OuiBlock::kMaL},
                {"/usr/share/ieee-data/mam.csv", OuiBlock::kMaM},
                {"/usr/share/ieee-data/oui36.csv", OuiBlock::kMaS}};
  int found = 0;
  for (const auto& file : kFiles) {
    auto content = root.ReadFile(file.path);
    if (!content.ok()) continue;
    ++found;
    registry.AddCsv(*content, file.block);
  }
  if (found == 0) {
    return Status::NotFound("no IEEE registry under " + root.Path("/usr/share/ieee-data") +
                            " (install the ieee-data package)");
  }
  registry.Finish();
  return registry;
}

std::string_view OuiRegistry::Find(const std::vector<Entry>& table, uint64_t prefix,
                                   const std::vector<std::string>& names) {
  auto it = std::lower_bound(table.begin(), table.end(), Entry{prefix, 0});
  if (it == table.end() || it->prefix != prefix) return {};
  return names[it->name];
}

std::string_view OuiRegistry::LookupBytes(const uint8_t mac[6]) const {
  const uint64_t v = MacToInt(mac);
  if (auto s = Find(mas_, v >> 12, names_); !s.empty()) return s;
  if (auto s = Find(mam_, v >> 20, names_); !s.empty()) return s;
  return Find(mal_, v >> 24, names_);
}

std::string_view OuiRegistry::Lookup(std::string_view mac) const {
  auto canonical = NormalizeMac(mac);
  if (!canonical) return {};
  uint8_t bytes[6];
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<uint8_t>(*ParseHex(std::string_view(*canonical).substr(i * 3, 2)));
  }
  return LookupBytes(bytes);
}

}  // namespace estate
