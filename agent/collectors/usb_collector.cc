#include "agent/collectors/usb_collector.h"

#include <set>
#include <vector>

#include "agent/collectors/ids_database.h"
#include "agent/collectors/pci_collector.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

class UsbCollector : public Collector {
 public:
  std::string_view Name() const override { return "usb"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    constexpr std::string_view kDevices = "/sys/bus/usb/devices";
    auto entries = root.ListDir(kDevices);
    if (!entries.ok()) return;  // no USB controller
    std::vector<v1::UsbDevice> devices;
    std::vector<std::string> reported_vendor, reported_product;
    std::set<std::string> vendors;
    for (const auto& entry : *entries) {
      if (entry.find(':') != std::string::npos) continue;  // an interface of a device
      const std::string dir = std::string(kDevices) + "/" + entry + "/";
      auto line = [&](const char* file) {
        auto text = root.ReadLine(dir + file);
        return text.ok() ? SanitizeUtf8(Trim(*text)) : std::string();
      };
      v1::UsbDevice device;
      device.set_bus_path(entry);
      device.set_vendor_id(SysfsHexId(line("idVendor"), 4));
      device.set_product_id(SysfsHexId(line("idProduct"), 4));
      if (device.vendor_id().empty()) continue;
      device.set_serial(line("serial"));
      device.set_device_class(line("bDeviceClass"));
      reported_vendor.push_back(line("manufacturer"));
      reported_product.push_back(line("product"));
      vendors.insert(device.vendor_id());
      devices.push_back(std::move(device));
    }
    if (devices.empty()) return;
    auto ids = IdsDatabase::ParseFile(root.Path("/usr/share/misc/usb.ids"), vendors);
    if (!ids.ok()) ids = IdsDatabase::ParseFile(root.Path("/var/lib/usbutils/usb.ids"), vendors);
    if (!ids.ok()) AddWarning(facts, Name(), "no usb.ids; names are the devices' own");
    const IdsDatabase db = ids.ok() ? std::move(*ids) : IdsDatabase();
    for (size_t i = 0; i < devices.size(); ++i) {
      auto& device = devices[i];
      std::string vendor = db.Vendor(device.vendor_id());
      std::string product = db.Device(device.vendor_id(), device.product_id());
      device.set_vendor(vendor.empty() ? reported_vendor[i] : vendor);
      device.set_product(product.empty() ? reported_product[i] : product);
      *facts->add_usb_devices() = std::move(device);
    }
  }
};

}  // namespace

std::unique_ptr<Collector> MakeUsbCollector() { return std::make_unique<UsbCollector>(); }

}  // namespace estate::agent
