#include "agent/collectors/os_collector.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "estate/text.h"

namespace estate::agent {
namespace {

int64_t ModificationTime(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mtime;
}

int64_t BirthTime(const std::string& path) {
  struct statx stx;
  if (::statx(AT_FDCWD, path.c_str(), 0, STATX_BTIME, &stx) != 0) return 0;
  if ((stx.stx_mask & STATX_BTIME) == 0) return 0;
  return stx.stx_btime.tv_sec;
}

class OsCollector : public Collector {
 public:
  std::string_view Name() const override { return "os"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    auto text = root.ReadFile("/etc/os-release", 1 << 20);
    if (!text.ok()) text = root.ReadFile("/usr/lib/os-release", 1 << 20);
    auto* os = facts->mutable_os();
    if (!text.ok()) {
      AddWarning(facts, Name(), text.status());
    } else {
      auto fields = ParseOsRelease(*text);
      os->set_name(fields["NAME"]);
      os->set_version(fields["VERSION_ID"]);
      os->set_id(fields["ID"]);
      os->set_id_like(fields["ID_LIKE"]);
      os->set_pretty_name(fields["PRETTY_NAME"]);
      os->set_version_codename(fields["VERSION_CODENAME"]);
    }
    if (auto version = root.ReadLine("/proc/sys/kernel/version"); version.ok()) {
      os->set_kernel_version(*version);
    }
    os->set_architecture(facts->system().architecture());

    // The Debian installer leaves its logs behind; otherwise the root
    // directory's birth time is when the filesystem was made.
    int64_t installed = ModificationTime(root.Path("/var/log/installer"));
    if (installed == 0 && context.live) installed = BirthTime("/");
    os->set_install_time(installed);
  }
};

}  // namespace

std::map<std::string, std::string> ParseOsRelease(std::string_view text) {
  std::map<std::string, std::string> out;
  for (std::string_view line : Split(text, '\n')) {
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string key(Trim(line.substr(0, eq)));
    std::string_view raw = Trim(line.substr(eq + 1));
    std::string value;
    char quote = 0;
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
      quote = raw.front();
      raw.remove_prefix(1);
    }
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (quote != 0 && c == quote) break;
      if (c == '\\' && quote != '\'' && i + 1 < raw.size()) {
        value += raw[++i];
        continue;
      }
      value += c;
    }
    out[key] = std::move(value);
  }
  return out;
}

std::unique_ptr<Collector> MakeOsCollector() { return std::make_unique<OsCollector>(); }

}  // namespace estate::agent
