#include "agent/collectors/snap_collector.h"

#include "estate/text.h"

namespace estate::agent {
namespace {

class SnapCollector : public Collector {
 public:
  std::string_view Name() const override { return "snap"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    auto names = root.ListDir("/snap");
    if (!names.ok()) return;
    for (const auto& name : *names) {
      const std::string meta = "/snap/" + name + "/current/meta/snap.yaml";
      auto yaml = root.ReadFile(meta, 1 << 20);
      if (!yaml.ok()) continue;  // /snap/bin, README, a snap being removed
      v1::Package package;
      package.set_name(SnapYamlValue(*yaml, "name").empty() ? name : SnapYamlValue(*yaml, "name"));
      package.set_version(SnapYamlValue(*yaml, "version"));
      package.set_source("snap");
      package.set_publisher(SnapYamlValue(*yaml, "publisher"));
      // "architectures:\n  - amd64" — the first listed one.
      size_t arch = yaml->find("\narchitectures:");
      if (arch != std::string::npos) {
        size_t dash = yaml->find("- ", arch);
        if (dash != std::string::npos) {
          size_t end = yaml->find('\n', dash);
          package.set_architecture(std::string(Trim(yaml->substr(dash + 2, end - dash - 2))));
        }
      }
      std::string revision;
      if (auto link = root.ReadLink("/snap/" + name + "/current"); link.ok()) {
        revision = *link;
        package.set_source_package(name + "@" + revision);
      }
      // Revisions "x1", "x2"... are snaps installed from a file (--dangerous),
      // not from the store.
      package.add_origins(!revision.empty() && revision.front() == 'x' ? "local" : "snap-store");
      package.set_origin_evidence("store");
      *facts->add_software() = std::move(package);
    }
  }
};

}  // namespace

std::string SnapYamlValue(std::string_view yaml, std::string_view key) {
  for (std::string_view line : Split(yaml, '\n')) {
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;
    if (!StartsWith(line, key) || line.size() <= key.size() || line[key.size()] != ':') continue;
    std::string_view value = Trim(line.substr(key.size() + 1));
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::string();
}

std::unique_ptr<Collector> MakeSnapCollector() { return std::make_unique<SnapCollector>(); }

}  // namespace estate::agent
