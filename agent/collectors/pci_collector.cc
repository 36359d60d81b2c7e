#include "agent/collectors/pci_collector.h"

#include <cctype>
#include <set>
#include <vector>

#include "agent/collectors/ids_database.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

class PciCollector : public Collector {
 public:
  std::string_view Name() const override { return "pci"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    constexpr std::string_view kDevices = "/sys/bus/pci/devices";
    auto slots = root.ListDir(kDevices);
    if (!slots.ok()) return;  // no PCI bus (many ARM boards, some VMs)
    std::vector<v1::PciDevice> devices;
    std::vector<std::string> class_ids;
    std::set<std::string> vendors;
    for (const auto& slot : *slots) {
      const std::string dir = std::string(kDevices) + "/" + slot + "/";
      auto read = [&](const char* file, size_t digits) {
        auto text = root.ReadLine(dir + file);
        return text.ok() ? SysfsHexId(*text, digits) : std::string();
      };
      v1::PciDevice device;
      device.set_slot(slot);
      device.set_vendor_id(read("vendor", 4));
      device.set_device_id(read("device", 4));
      device.set_subsystem_vendor(read("subsystem_vendor", 4));
      device.set_subsystem_device(read("subsystem_device", 4));
      if (auto driver = root.ReadLink(dir + "driver"); driver.ok()) {
        device.set_driver(Basename(*driver));
      }
      vendors.insert(device.vendor_id());
      class_ids.push_back(read("class", 6));
      devices.push_back(std::move(device));
    }
    auto ids = IdsDatabase::ParseFile(root.Path("/usr/share/misc/pci.ids"), vendors);
    if (!ids.ok()) ids = IdsDatabase::ParseFile(root.Path("/usr/share/hwdata/pci.ids"), vendors);
    if (!ids.ok()) AddWarning(facts, Name(), "no pci.ids; device names left out");
    const IdsDatabase db = ids.ok() ? std::move(*ids) : IdsDatabase();
    for (size_t i = 0; i < devices.size(); ++i) {
      auto& device = devices[i];
      device.set_vendor(db.Vendor(device.vendor_id()));
      device.set_device(db.Device(device.vendor_id(), device.device_id()));
      if (class_ids[i].size() == 6) {
        device.set_class_name(db.Class(class_ids[i].substr(0, 2), class_ids[i].substr(2, 2)));
      }
      *facts->add_pci_devices() = std::move(device);
    }
  }
};

}  // namespace

std::string SysfsHexId(std::string_view text, size_t digits) {
  text = Trim(text);
  if (StartsWith(text, "0x") || StartsWith(text, "0X")) text.remove_prefix(2);
  if (text.size() != digits) return std::string();
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::string();
  }
  return ToLower(text);
}

std::unique_ptr<Collector> MakePciCollector() { return std::make_unique<PciCollector>(); }

}  // namespace estate::agent
