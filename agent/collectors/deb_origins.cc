#include "agent/collectors/deb_origins.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <unordered_map>

#include "agent/collectors/apt_lists.h"
#include "agent/compressed_reader.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr std::string_view kListsDir = "/var/lib/apt/lists";
constexpr std::string_view kDpkgStatus = "/var/lib/dpkg/status";
constexpr char kCacheName[] = "/deb-origins.cache";
constexpr std::string_view kCacheFormat = "estate deb-origins 1";

// One file's identity for the cache key.
bool AppendStat(const std::string& path, std::string_view name, std::string* key) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *key += std::string(name) + " " + std::to_string(st.st_size) + " " +
          std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "\n";
  return true;
}

// Tabs and newlines would break the cache's lines.
std::string Clean(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

struct Source {
  std::string origin;  // "Debian/bookworm"
  bool distribution = false;
};

struct Answer {
  std::vector<std::string> origins;
  bool distribution = false;
  std::string evidence;
};

std::string PackageKey(const v1::Package& p) {
  return p.name() + '\t' + p.architecture() + '\t' + p.version();
}

void Apply(const Answer& answer, v1::Package* p) {
  p->clear_origins();
  for (const auto& o : answer.origins) p->add_origins(o);
  p->set_distribution(answer.distribution);
  p->set_origin_evidence(answer.evidence);
}

// "name\tarch\tversion\t<0|1>\tevidence\torigin\torigin..." per package.
std::string EncodeCache(const std::string& key, const std::vector<v1::Package>& packages) {
  std::string out(kCacheFormat);
  out += "\n" + key + "\n";
  for (const auto& p : packages) {
    out += PackageKey(p) + '\t' + (p.distribution() ? "1" : "0") + '\t' + p.origin_evidence();
    for (const auto& o : p.origins()) out += '\t' + o;
    out += '\n';
  }
  return out;
}

// Applies a cache written under `key`; false unless it answers every package.
bool ApplyCache(const std::string& path, const std::string& key,
                std::vector<v1::Package>* packages) {
  auto text = HostRoot("/").ReadFile(path, 16u << 20);
  if (!text.ok()) return false;
  const std::string header = std::string(kCacheFormat) + "\n" + key + "\n";
  if (text->compare(0, header.size(), header) != 0) return false;
  std::unordered_map<std::string_view, Answer> answers;
  std::string_view body = std::string_view(*text).substr(header.size());
  for (std::string_view line : Split(body, '\n')) {
    auto fields = Split(line, '\t');
    if (fields.size() < 6) continue;
    Answer a;
    a.distribution = fields[3] == "1";
    a.evidence = std::string(fields[4]);
    for (size_t i = 5; i < fields.size(); ++i) a.origins.emplace_back(fields[i]);
    const size_t key_end = fields[2].data() + fields[2].size() - line.data();
    answers.emplace(line.substr(0, key_end), std::move(a));
  }
  std::vector<const Answer*> found;
  found.reserve(packages->size());
  for (const auto& p : *packages) {
    auto it = answers.find(PackageKey(p));
    if (it == answers.end()) return false;
    found.push_back(&it->second);
  }
  for (size_t i = 0; i < packages->size(); ++i) Apply(*found[i], &(*packages)[i]);
  return true;
}

// Written beside, then renamed: a reader sees the old cache or the new one.
// Not fsynced: a cache lost in a crash is rebuilt by the next inventory.
void WriteCache(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 && errno == ENOENT) {
    // The state directory of an agent that never ran: the one level is ours to make.
    ::mkdir(path.substr(0, path.rfind('/')).c_str(), 0700);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  }
  if (fd < 0) return;
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done != content.size() || ::rename(tmp.c_str(), path.c_str()) != 0) ::unlink(tmp.c_str());
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "host_path_dists_bookworm_main_binary-amd64_Packages.lz4" is a Packages list.
bool IsPackagesList(std::string_view name) {
  const size_t at = name.rfind("_Packages");
  if (at == std::string_view::npos) return false;
  const std::string_view rest = name.substr(at + 9);
  return rest.empty() || rest == ".gz" || rest == ".xz" || rest == ".lz4";
}

}  // namespace

void ResolveDebOrigins(const HostRoot& root, const std::string& cache_dir,
                       std::vector<v1::Package>* packages, std::vector<std::string>* warnings) {
  if (packages->empty()) return;
  const Distribution distribution = ReadDistribution(root);

  std::vector<std::string> lists, releases;
  if (auto names = root.ListDir(kListsDir); names.ok()) {
    for (const auto& name : *names) {
      if (IsPackagesList(name)) lists.push_back(name);
      if (EndsWith(name, "_InRelease") || EndsWith(name, "_Release")) releases.push_back(name);
    }
  }
  const std::string dir = root.Path(kListsDir) + "/";
  if (lists.empty()) {
    // Minimal images delete the lists: say so, and keep the weaker evidence.
    warnings->push_back("no apt package lists under " + std::string(kListsDir) +
                        ": package origins unknown, judged by Maintainer");
    for (auto& p : *packages) {
      Apply({{"unknown"}, IsDistributionMaintainer(distribution, p.publisher()), "maintainer"}, &p);
    }
    return;
  }

  std::string key;
  for (const auto& name : lists) AppendStat(dir + name, name, &key);
  for (const auto& name : releases) AppendStat(dir + name, name, &key);
  AppendStat(root.Path(kDpkgStatus), "status", &key);
  key += "os " + distribution.id + " " + distribution.name + "\n";
  const std::string cache = cache_dir.empty() ? "" : cache_dir + kCacheName;
  if (!cache.empty() && ApplyCache(cache, key, packages)) return;

  // Each list's source: the Release file whose prefix is the longest one of
  // the list's name (InRelease preferred over Release).
  std::vector<std::pair<std::string, AptRelease>> parsed;
  for (const auto& name : releases) {
    const std::string prefix = name.substr(0, name.rfind('_') + 1);
    const bool inrelease = EndsWith(name, "_InRelease");
    auto same = std::find_if(parsed.begin(), parsed.end(),
                             [&](const auto& r) { return r.first == prefix; });
    if (same != parsed.end() && !inrelease) continue;
    auto text = root.ReadFile(std::string(kListsDir) + "/" + name, 16u << 20);
    if (!text.ok()) {
      warnings->push_back("apt release " + name + ": " + text.status().message());
      continue;
    }
    if (same != parsed.end()) {
      same->second = ParseAptRelease(*text);
    } else {
      parsed.emplace_back(prefix, ParseAptRelease(*text));
    }
  }
  auto source_of = [&](const std::string& list) {
    const std::pair<std::string, AptRelease>* best = nullptr;
    for (const auto& r : parsed) {
      if (StartsWith(list, r.first) && (!best || r.first.size() > best->first.size())) best = &r;
    }
    Source s;
    const std::string host = list.substr(0, list.find('_'));
    if (!best) {
      s.origin = host;  // a list without a Release file: name it by its host
      return s;
    }
    const AptRelease& r = best->second;
    std::string origin = r.origin.empty() ? (r.label.empty() ? host : r.label) : r.origin;
    const std::string& suite = r.codename.empty() ? r.suite : r.codename;
    s.origin = Clean(suite.empty() ? origin : origin + "/" + suite);
    s.distribution = IsDistributionOrigin(distribution, r.origin);
    return s;
  };

  std::vector<AptWanted> wanted;
  wanted.reserve(packages->size());
  for (const auto& p : *packages) wanted.push_back({p.name(), p.architecture(), p.version()});
  // Per package: the sources carrying this version, and those carrying a newer one.
  std::vector<std::vector<uint32_t>> exact(packages->size()), newer(packages->size());
  std::vector<Source> sources;
  bool unreadable = false;
  for (const auto& name : lists) {
    auto reader = CompressedReader::Open(dir + name);
    if (!reader.ok()) {
      warnings->push_back("apt list " + name + ": " + reader.status().message());
      unreadable = true;
      continue;
    }
    AptListScanner scanner(wanted);
    Status failed;
    for (;;) {
      auto chunk = reader->Next();
      if (!chunk.ok()) {
        failed = chunk.status();
        break;
      }
      if (chunk->empty()) break;
      scanner.Feed(*chunk);
    }
    scanner.Finish();
    if (failed.ok() && scanner.stanzas() > 0 && scanner.malformed() == scanner.stanzas()) {
      failed = Status::Corruption(dir + name + ": no stanza has a Package and a Version");
    }
    if (!failed.ok()) {
      // What decoded before the damage still counts; absence proves nothing.
      warnings->push_back("apt list " + name + " skipped in part: " + failed.message());
      unreadable = true;
    }
    const auto index = static_cast<uint32_t>(sources.size());
    sources.push_back(source_of(name));
    const auto& carried = scanner.carried();
    for (size_t i = 0; i < carried.size(); ++i) {
      if (carried[i] == AptListScanner::Carried::kExact) exact[i].push_back(index);
      if (carried[i] == AptListScanner::Carried::kNewer) newer[i].push_back(index);
    }
  }

  for (size_t i = 0; i < packages->size(); ++i) {
    v1::Package& p = (*packages)[i];
    const auto& hits = !exact[i].empty() ? exact[i] : newer[i];
    Answer a;
    if (!hits.empty()) {
      for (uint32_t s : hits) {
        a.origins.push_back(sources[s].origin);
        a.distribution = a.distribution || sources[s].distribution;
      }
      std::sort(a.origins.begin(), a.origins.end());
      a.origins.erase(std::unique(a.origins.begin(), a.origins.end()), a.origins.end());
      a.evidence = exact[i].empty() ? "superseded" : "apt-lists";
    } else if (unreadable) {
      a = {{"unknown"}, IsDistributionMaintainer(distribution, p.publisher()), "maintainer"};
    } else {
      a = {{"local"}, false, "apt-lists"};
    }
    Apply(a, &p);
  }
  if (!cache.empty() && !unreadable) WriteCache(cache, EncodeCache(key, *packages));
}

}  // namespace estate::agent
