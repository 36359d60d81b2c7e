#include "agent/collectors/services_collector.h"

#include <map>

#include "estate/text.h"

namespace estate::agent {
namespace {

bool IsUnitName(std::string_view name) {
  for (std::string_view suffix : {".service", ".socket", ".timer", ".path", ".mount", ".target"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

class ServicesCollector : public Collector {
 public:
  std::string_view Name() const override { return "services"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    std::map<std::string, v1::SystemdUnit> units;
    auto unit = [&](const std::string& name) -> v1::SystemdUnit& {
      auto& u = units[name];
      u.set_name(name);
      return u;
    };
    constexpr std::string_view kEtc = "/etc/systemd/system";
    if (auto entries = root.ListDir(kEtc); entries.ok()) {
      for (const auto& entry : *entries) {
        const std::string path = std::string(kEtc) + "/" + entry;
        if (entry.ends_with(".wants") || entry.ends_with(".requires")) {
          auto wanted = root.ListDir(path);
          if (!wanted.ok()) continue;
          for (const auto& name : *wanted) {
            if (!IsUnitName(name)) continue;
            auto& u = unit(name);
            u.set_enabled(true);
            u.set_unit_file_state("enabled");
          }
        } else if (IsUnitName(entry)) {
          if (auto target = root.ReadLink(path); target.ok() && *target == "/dev/null") {
            auto& u = unit(entry);
            u.set_enabled(false);
            u.set_unit_file_state("masked");
          }
        }
      }
    } else if (!entries.status().IsNotFound()) {
      AddWarning(facts, Name(), entries.status());
    }

    // Running services own a cgroup under system.slice (v2, or v1's name=systemd).
    for (std::string_view slice :
         {"/sys/fs/cgroup/system.slice", "/sys/fs/cgroup/systemd/system.slice"}) {
      auto entries = root.ListDir(slice);
      if (!entries.ok()) continue;
      for (const auto& entry : *entries) {
        if (!entry.ends_with(".service")) continue;
        auto procs = root.ReadFile(std::string(slice) + "/" + entry + "/cgroup.procs", 1 << 20);
        if (!procs.ok() || Trim(*procs).empty()) continue;
        auto& u = unit(entry);
        u.set_running(true);
        u.set_active_state("active");
      }
      break;
    }
    for (auto& [name, u] : units) *facts->add_services() = std::move(u);
  }
};

}  // namespace

std::unique_ptr<Collector> MakeServicesCollector() { return std::make_unique<ServicesCollector>(); }

}  // namespace estate::agent
