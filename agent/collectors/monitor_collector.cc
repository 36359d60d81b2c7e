#include "agent/collectors/monitor_collector.h"

#include <cmath>
#include <set>
#include <vector>

#include "agent/collectors/edid.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

class MonitorCollector : public Collector {
 public:
  std::string_view Name() const override { return "monitor"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    constexpr std::string_view kDrm = "/sys/class/drm";
    auto entries = root.ListDir(kDrm);
    if (!entries.ok()) return;  // no display hardware (a server, a VM without a GPU)
    std::vector<v1::Monitor> monitors;
    std::set<std::string> ids;
    for (const auto& entry : *entries) {
      if (entry.find('-') == std::string::npos) continue;  // card0, renderD128: not connectors
      const std::string path = std::string(kDrm) + "/" + entry + "/edid";
      auto bytes = root.ReadFile(path, 64 << 10);
      if (!bytes.ok() || bytes->empty()) continue;  // nothing plugged in
      auto edid = ParseEdid(*bytes);
      if (!edid.ok()) {
        AddWarning(facts, Name(), path + ": " + edid.status().message());
        continue;
      }
      v1::Monitor monitor;
      monitor.set_connector(entry);
      monitor.set_manufacturer_id(edid->manufacturer_id);
      monitor.set_product_code(edid->product_code);
      monitor.set_model(edid->Model());
      monitor.set_serial(edid->Serial());
      if (edid->week != 0xff) monitor.set_week(edid->week);
      monitor.set_year(edid->year);
      monitor.set_width_mm(edid->width_mm);
      monitor.set_height_mm(edid->height_mm);
      if (edid->width_mm != 0) {
        const double inches = std::hypot(edid->width_mm, edid->height_mm) / 25.4;
        monitor.set_diagonal_inches(std::round(inches * 10) / 10);
      }
      if (edid->width_px != 0) {
        monitor.set_resolution(std::to_string(edid->width_px) + "x" +
                               std::to_string(edid->height_px));
      }
      monitor.set_edid_version(std::to_string(edid->version) + "." +
                               std::to_string(edid->revision));
      ids.insert(edid->manufacturer_id);
      monitors.push_back(std::move(monitor));
    }
    if (monitors.empty()) return;
    std::map<std::string, std::string> names;
    auto table = root.ReadFile("/usr/share/hwdata/pnp.ids", 4 << 20);
    if (table.ok()) {
      names = ParsePnpIds(*table, ids);
    } else {
      AddWarning(facts, Name(),
                 "no /usr/share/hwdata/pnp.ids (package hwdata); "
                 "manufacturers are PNP ids");
    }
    for (auto& monitor : monitors) {
      auto name = names.find(monitor.manufacturer_id());
      monitor.set_manufacturer(name != names.end() ? name->second : monitor.manufacturer_id());
      *facts->add_monitors() = std::move(monitor);
    }
  }
};

}  // namespace

std::unique_ptr<Collector> MakeMonitorCollector() { return std::make_unique<MonitorCollector>(); }

}  // namespace estate::agent
