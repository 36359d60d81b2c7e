#include "agent/collectors/flatpak_collector.h"

#include <cctype>

#include "estate/text.h"

namespace estate::agent {
namespace {

class FlatpakCollector : public Collector {
 public:
  std::string_view Name() const override { return "flatpak"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    for (std::string_view kind : {"app", "runtime"}) {
      const std::string base = "/var/lib/flatpak/" + std::string(kind);
      auto ids = root.ListDir(base);
      if (!ids.ok()) continue;
      for (const auto& id : *ids) {
        if (kind == "app") {
          AddDeployment(root, base + "/" + id + "/current", id, facts);
          continue;
        }
        // Runtimes keep every installed "<arch>/<branch>" side by side.
        auto arches = root.ListDir(base + "/" + id);
        if (!arches.ok()) continue;
        for (const auto& arch : *arches) {
          auto branches = root.ListDir(base + "/" + id + "/" + arch);
          if (!branches.ok()) continue;
          for (const auto& branch : *branches) {
            AddDeployment(root, base + "/" + id + "/" + arch + "/" + branch, id, facts);
          }
        }
      }
    }
  }

 private:
  static void AddDeployment(const HostRoot& root, const std::string& dir, const std::string& id,
                            v1::HostFacts* facts) {
    if (!root.Exists(dir + "/active")) return;
    v1::Package package;
    package.set_name(id);
    package.set_source("flatpak");
    std::string arch_branch;
    if (auto link = root.ReadLink(dir); link.ok()) {
      arch_branch = *link;  // "x86_64/stable"
    } else {
      size_t cut = dir.rfind('/', dir.rfind('/') - 1);
      arch_branch = dir.substr(cut + 1);
    }
    size_t slash = arch_branch.find('/');
    package.set_architecture(arch_branch.substr(0, slash));
    const std::string branch = slash == std::string::npos ? "" : arch_branch.substr(slash + 1);
    std::string version;
    if (auto xml =
            root.ReadFile(dir + "/active/files/share/metainfo/" + id + ".metainfo.xml", 4 << 20);
        xml.ok()) {
      version = MetainfoVersion(*xml);
    }
    package.set_version(version.empty() ? branch : version);
    // The deployment's "deploy" file is a GVariant (origin, commit, subpaths,
    // metadata): its first member, the remote's name, is a NUL-terminated string.
    std::string origin;
    if (auto deploy = root.ReadFile(dir + "/active/deploy", 1 << 20); deploy.ok()) {
      origin = DeployOrigin(*deploy);
    }
    package.add_origins(origin.empty() ? "unknown" : origin);
    package.set_origin_evidence("remote");
    *facts->add_software() = std::move(package);
  }
};

}  // namespace

std::string DeployOrigin(std::string_view deploy) {
  const size_t nul = deploy.find('\0');
  if (nul == std::string_view::npos || nul == 0 || nul > 255) return std::string();
  const std::string_view name = deploy.substr(0, nul);
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return std::string();
    }
  }
  return std::string(name);
}

std::string MetainfoVersion(std::string_view xml) {
  size_t release = xml.find("<release ");
  if (release == std::string_view::npos) return std::string();
  size_t end = xml.find('>', release);
  std::string_view tag = xml.substr(release, end == std::string_view::npos ? end : end - release);
  size_t attr = tag.find("version=");
  if (attr == std::string_view::npos || attr + 9 > tag.size()) return std::string();
  char quote = tag[attr + 8];
  size_t close = tag.find(quote, attr + 9);
  if (close == std::string_view::npos) return std::string();
  return std::string(tag.substr(attr + 9, close - attr - 9));
}

std::unique_ptr<Collector> MakeFlatpakCollector() { return std::make_unique<FlatpakCollector>(); }

}  // namespace estate::agent
