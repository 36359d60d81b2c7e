#include "plugins/snmp/enterprise_registry.h"

#include <algorithm>

#include "estate/text.h"
#include "plugins/snmp/replay_session.h"

namespace estate::plugins::snmp {

Result<EnterpriseRegistry> EnterpriseRegistry::Load(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text);
}

EnterpriseRegistry EnterpriseRegistry::Parse(std::string_view text) {
  EnterpriseRegistry reg;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line.front() == '#') continue;
    size_t sep = line.find_first_of(" \t");
    if (sep == std::string_view::npos) continue;
    auto number = ParseUint(line.substr(0, sep));
    if (!number || *number > UINT32_MAX) continue;
    std::string_view name = Trim(line.substr(sep));
    // Drop the "(contact URL)" note some entries carry.
    if (auto paren = name.find(" ("); paren != std::string_view::npos) {
      name = Trim(name.substr(0, paren));
    }
    std::string clean = SanitizeUtf8(name);
    reg.entries_.push_back({static_cast<uint32_t>(*number),
                            static_cast<uint32_t>(reg.names_.size()),
                            static_cast<uint32_t>(clean.size())});
    reg.names_ += clean;
  }
  std::stable_sort(reg.entries_.begin(), reg.entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.number < b.number; });
  reg.names_.shrink_to_fit();
  reg.entries_.shrink_to_fit();
  return reg;
}

std::string_view EnterpriseRegistry::Lookup(uint32_t number) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), number,
                             [](const Entry& e, uint32_t n) { return e.number < n; });
  if (it == entries_.end() || it->number != number) return {};
  return std::string_view(names_).substr(it->offset, it->length);
}

}  // namespace estate::plugins::snmp
