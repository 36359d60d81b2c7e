#include "agent/collectors/language_packages_collector.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <vector>

#include "estate/text.h"

namespace estate::agent {
namespace {

// The headers and the fields we want come first; a long description after
// them is never read.
constexpr size_t kHeadBytes = 8192;

std::optional<std::string> ReadHead(const HostRoot& root, const std::string& path) {
  const int fd = ::open(root.Path(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out(kHeadBytes, '\0');
  size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

// Entries of `dir` matching `prefix*suffix` ("python3", "").
std::vector<std::string> Matching(const HostRoot& root, std::string_view dir,
                                  std::string_view prefix) {
  std::vector<std::string> out;
  if (auto names = root.ListDir(dir); names.ok()) {
    for (auto& name : *names) {
      if (StartsWith(name, prefix)) out.push_back(std::string(dir) + "/" + name);
    }
  }
  return out;
}

class LanguagePackagesCollector : public Collector {
 public:
  explicit LanguagePackagesCollector(size_t max_entries) : max_entries_(max_entries) {}
  std::string_view Name() const override { return "language-packages"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    for (std::string_view lib : {"/usr/local/lib", "/usr/lib", "/usr/lib64"}) {
      for (const auto& python : Matching(root, lib, "python3")) {
        const bool os_owned_tree = !StartsWith(lib, "/usr/local");
        for (std::string_view leaf : {"/dist-packages", "/site-packages"}) {
          if (os_owned_tree && leaf == "/dist-packages") continue;  // Debian's, dpkg lists them
          CollectPython(root, python + std::string(leaf), os_owned_tree, facts);
        }
      }
    }
    for (std::string_view dir : {"/usr/local/lib/node_modules", "/usr/lib/node_modules"}) {
      CollectNode(root, dir, facts);
    }
    std::vector<std::string> gem_dirs;
    for (const auto& d : Matching(root, "/var/lib/gems", "")) gem_dirs.push_back(d);
    for (const auto& d : Matching(root, "/usr/local/lib/ruby/gems", "")) gem_dirs.push_back(d);
    gem_dirs.push_back("/usr/local/share/gems");
    for (const auto& dir : gem_dirs) CollectGems(root, dir + "/specifications", facts);
  }

 private:
  // The directory's entries, at most kMaxEntriesPerDirectory of them.
  std::vector<std::string> Entries(const HostRoot& root, const std::string& dir,
                                   v1::HostFacts* facts) const {
    auto names = root.ListDir(dir);
    if (!names.ok()) return {};
    if (names->size() > max_entries_) {
      AddWarning(facts, Name(),
                 dir + ": " + std::to_string(names->size()) + " entries, only the first " +
                     std::to_string(max_entries_) + " read");
      names->resize(max_entries_);
    }
    return std::move(*names);
  }

  void Add(v1::HostFacts* facts, NameVersion nv, std::string_view source) const {
    v1::Package& p = *facts->add_software();
    p.set_name(SanitizeUtf8(nv.name));
    p.set_version(SanitizeUtf8(nv.version));
    p.set_source(std::string(source));
  }

  void CollectPython(const HostRoot& root, const std::string& dir, bool pip_only,
                     v1::HostFacts* facts) const {
    for (const auto& entry : Entries(root, dir, facts)) {
      const bool dist_info = entry.ends_with(".dist-info");
      const bool egg_info = entry.ends_with(".egg-info");
      if (!dist_info && !egg_info) continue;
      const std::string path = dir + "/" + entry;
      if (pip_only) {
        // rpm-built modules have no INSTALLER or say "rpm"; egg-info predates it.
        auto installer = dist_info ? ReadHead(root, path + "/INSTALLER") : std::nullopt;
        if (!installer.has_value() || Trim(*installer) != "pip") continue;
      }
      auto text = ReadHead(root, path + (dist_info ? "/METADATA" : "/PKG-INFO"));
      if (!text.has_value() && egg_info) text = ReadHead(root, path);  // a single-file egg-info
      auto nv = text.has_value() ? ParsePythonMetadata(*text) : std::nullopt;
      if (!nv.has_value()) {
        AddWarning(facts, Name(), path + ": no Name and Version in its metadata");
        continue;
      }
      Add(facts, std::move(*nv), "pypi");
    }
  }

  void CollectNode(const HostRoot& root, std::string_view dir, v1::HostFacts* facts) const {
    for (const auto& entry : Entries(root, std::string(dir), facts)) {
      if (entry.front() == '.') continue;  // .bin, .package-lock.json
      std::vector<std::string> packages;
      if (entry.front() == '@') {  // a scope: @vue/cli
        for (const auto& scoped : Entries(root, std::string(dir) + "/" + entry, facts)) {
          packages.push_back(entry + "/" + scoped);
        }
      } else {
        packages.push_back(entry);
      }
      for (const auto& package : packages) {
        const std::string path = std::string(dir) + "/" + package + "/package.json";
        auto text = root.ReadFile(path, 1 << 20);
        if (!text.ok()) {
          if (!text.status().IsNotFound()) AddWarning(facts, Name(), text.status());
          continue;
        }
        auto nv = ParsePackageJson(*text);
        if (!nv.has_value()) {
          AddWarning(facts, Name(), path + ": no name and version");
          continue;
        }
        Add(facts, std::move(*nv), "npm");
      }
    }
  }

  void CollectGems(const HostRoot& root, const std::string& dir, v1::HostFacts* facts) const {
    for (const auto& entry : Entries(root, dir, facts)) {
      if (!entry.ends_with(".gemspec")) continue;
      auto text = ReadHead(root, dir + "/" + entry);
      auto nv = ParseGemspec(text.value_or(""), entry);
      if (!nv.has_value()) {
        AddWarning(facts, Name(), dir + "/" + entry + ": no name and version");
        continue;
      }
      Add(facts, std::move(*nv), "gem");
    }
  }

  size_t max_entries_;
};

// The quoted string after `key` ("s.name = "), up to its closing quote.
std::string QuotedAfter(std::string_view text, std::string_view key) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return "";
  std::string_view rest = text.substr(at + key.size());
  if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) return "";
  const char quote = rest.front();
  rest.remove_prefix(1);
  return std::string(rest.substr(0, rest.find(quote)));
}

}  // namespace

std::optional<NameVersion> ParsePythonMetadata(std::string_view text) {
  NameVersion nv;
  for (std::string_view line : Split(text, '\n')) {
    line = Trim(line);
    if (line.empty()) break;  // end of the headers: the description follows
    if (StartsWith(line, "Name:")) nv.name = std::string(Trim(line.substr(5)));
    if (StartsWith(line, "Version:")) nv.version = std::string(Trim(line.substr(8)));
  }
  if (nv.name.empty() || nv.version.empty()) return std::nullopt;
  return nv;
}

std::optional<NameVersion> ParsePackageJson(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  auto name = json.find("name");
  auto version = json.find("version");
  if (name == json.end() || version == json.end() || !name->is_string() || !version->is_string()) {
    return std::nullopt;
  }
  return NameVersion{name->get<std::string>(), version->get<std::string>()};
}

std::optional<NameVersion> ParseGemspec(std::string_view text, std::string_view file_name) {
  NameVersion nv{QuotedAfter(text, "s.name = "), QuotedAfter(text, "s.version = ")};
  if (!nv.name.empty() && !nv.version.empty()) return nv;
  // name-version[-platform].gemspec: the first dash followed by a digit
  // starts the version, a platform may follow it ("nokogiri-1.15.4-x86_64-linux").
  constexpr std::string_view kSuffix = ".gemspec";
  if (!file_name.ends_with(kSuffix)) return std::nullopt;
  std::string_view stem = file_name.substr(0, file_name.size() - kSuffix.size());
  size_t version_at = std::string_view::npos;
  for (size_t i = 1; i + 1 < stem.size(); ++i) {
    if (stem[i] == '-' && std::isdigit(static_cast<unsigned char>(stem[i + 1]))) {
      version_at = i;
      break;
    }
  }
  if (version_at == std::string_view::npos) return std::nullopt;
  std::string_view version = stem.substr(version_at + 1);
  if (size_t platform = version.find('-'); platform != std::string_view::npos) {
    version = version.substr(0, platform);
  }
  return NameVersion{std::string(stem.substr(0, version_at)), std::string(version)};
}

std::unique_ptr<Collector> MakeLanguagePackagesCollector(size_t max_entries) {
  return std::make_unique<LanguagePackagesCollector>(max_entries);
}

}  // namespace estate::agent
