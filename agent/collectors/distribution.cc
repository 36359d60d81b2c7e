#include "agent/collectors/distribution.h"

#include <algorithm>
#include <cctype>

#include "estate/text.h"

namespace estate::agent {
namespace {

// Mail domains of the distributions' teams (their lists and members), by
// os-release ID. Only used when the host keeps no apt lists.
struct TeamDomains {
  std::string_view id;
  std::vector<std::string_view> domains;
};
const std::vector<TeamDomains>& KnownTeamDomains() {
  static const std::vector<TeamDomains> kDomains = {
      {"debian", {"debian.org", "alioth-lists.debian.net"}},
      {"ubuntu", {"ubuntu.com", "canonical.com"}},
      {"raspbian", {"raspbian.org", "raspberrypi.com", "raspberrypi.org"}},
  };
  return kDomains;
}

std::string ValueOf(std::string_view line) {
  std::string_view v = Trim(line.substr(line.find('=') + 1));
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "Red Hat, Inc." -> "red".
std::string FirstWord(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) {
    if (!std::isalnum(static_cast<unsigned char>(c))) break;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

Distribution ParseDistribution(std::string_view os_release) {
  Distribution d;
  for (std::string_view line : Split(os_release, '\n')) {
    line = Trim(line);
    if (StartsWith(line, "ID=")) d.id = ToLower(ValueOf(line));
    if (StartsWith(line, "NAME=")) d.name = ValueOf(line);
    if (StartsWith(line, "ID_LIKE=")) {
      for (std::string_view like : Split(ValueOf(line), ' ')) {
        if (!like.empty()) d.id_like.push_back(ToLower(like));
      }
    }
  }
  return d;
}

bool IsDistributionOrigin(const Distribution& distribution, std::string_view origin) {
  if (origin.empty()) return false;
  const std::string o = ToLower(origin);
  if (o == distribution.id) return true;
  // Origin "Debian" for NAME "Debian GNU/Linux".
  const std::string name = ToLower(distribution.name);
  return StartsWith(name, o) && (name.size() == o.size() || name[o.size()] == ' ');
}

bool IsDistributionMaintainer(const Distribution& distribution, std::string_view maintainer) {
  const size_t lt = maintainer.rfind('<');
  const size_t at = maintainer.rfind('@');
  if (lt == std::string_view::npos || at == std::string_view::npos || at < lt) return false;
  const size_t gt = maintainer.find('>', at);
  const std::string domain = ToLower(maintainer.substr(
      at + 1, gt == std::string_view::npos ? std::string_view::npos : gt - at - 1));
  for (const auto& team : KnownTeamDomains()) {
    if (team.id != distribution.id &&
        std::find(distribution.id_like.begin(), distribution.id_like.end(), team.id) ==
            distribution.id_like.end()) {
      continue;
    }
    for (std::string_view d : team.domains) {
      if (domain == d || (domain.size() > d.size() && EndsWith(domain, d) &&
                          domain[domain.size() - d.size() - 1] == '.')) {
        return true;
      }
    }
  }
  return false;
}

bool IsDistributionVendor(const Distribution& distribution, std::string_view vendor) {
  const std::string word = FirstWord(vendor);
  if (word.empty()) return false;
  return word == distribution.id || word == FirstWord(distribution.name);
}

Distribution ReadDistribution(const HostRoot& root) {
  auto os_release = root.ReadFile("/etc/os-release", 64 << 10);
  if (!os_release.ok()) os_release = root.ReadFile("/usr/lib/os-release", 64 << 10);
  return ParseDistribution(os_release.ok() ? *os_release : "");
}

}  // namespace estate::agent
