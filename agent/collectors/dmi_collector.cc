#include "agent/collectors/dmi_collector.h"

#include "estate/text.h"

namespace estate::agent {
namespace {

// Firmware fills unset strings with these; they identify nothing.
bool IsPlaceholder(std::string_view value) {
  std::string lower = ToLower(Trim(value));
  return lower.empty() || lower == "to be filled by o.e.m." || lower == "default string" ||
         lower == "not specified" || lower == "system serial number" || lower == "none" ||
         lower == "0123456789" || lower == "not applicable";
}

class DmiCollector : public Collector {
 public:
  std::string_view Name() const override { return "dmi"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    if (!root.Exists("/sys/class/dmi/id")) return;  // no DMI (many VMs, ARM boards)
    auto* dmi = facts->mutable_dmi();
    struct Field {
      const char* file;
      void (v1::DmiFacts::*set)(const std::string&);
    };
    static const Field kFields[] = {
        {"sys_vendor", &v1::DmiFacts::set_system_vendor},
        {"product_name", &v1::DmiFacts::set_product_name},
        {"product_version", &v1::DmiFacts::set_product_version},
        {"product_serial", &v1::DmiFacts::set_serial},
        {"product_uuid", &v1::DmiFacts::set_uuid},
        {"chassis_asset_tag", &v1::DmiFacts::set_chassis_asset_tag},
        {"chassis_serial", &v1::DmiFacts::set_chassis_serial},
        {"bios_vendor", &v1::DmiFacts::set_bios_vendor},
        {"bios_version", &v1::DmiFacts::set_bios_version},
        {"bios_date", &v1::DmiFacts::set_bios_date},
        {"board_vendor", &v1::DmiFacts::set_board_vendor},
        {"board_name", &v1::DmiFacts::set_board_name},
        {"board_serial", &v1::DmiFacts::set_board_serial},
    };
    for (const Field& field : kFields) {
      const std::string path = std::string("/sys/class/dmi/id/") + field.file;
      auto value = root.ReadLine(path);
      if (value.ok()) {
        if (!IsPlaceholder(*value)) (dmi->*field.set)(SanitizeUtf8(*value));
      } else if (value.status().code() == Status::Code::kPermissionDenied) {
        dmi->add_unavailable(field.file);
      }
    }
    if (auto type = root.ReadLine("/sys/class/dmi/id/chassis_type"); type.ok()) {
      if (auto number = ParseUint(*type)) dmi->set_chassis_type(ChassisTypeName(*number));
    }
  }
};

}  // namespace

std::string ChassisTypeName(uint64_t type) {
  static const char* const kNames[] = {
      "",
      "Other",
      "Unknown",
      "Desktop",
      "Low Profile Desktop",
      "Pizza Box",
      "Mini Tower",
      "Tower",
      "Portable",
      "Laptop",
      "Notebook",
      "Hand Held",
      "Docking Station",
      "All in One",
      "Sub Notebook",
      "Space-saving",
      "Lunch Box",
      "Main Server Chassis",
      "Expansion Chassis",
      "SubChassis",
      "Bus Expansion Chassis",
      "Peripheral Chassis",
      "RAID Chassis",
      "Rack Mount Chassis",
      "Sealed-case PC",
      "Multi-system chassis",
      "Compact PCI",
      "Advanced TCA",
      "Blade",
      "Blade Enclosure",
      "Tablet",
      "Convertible",
      "Detachable",
      "IoT Gateway",
      "Embedded PC",
      "Mini PC",
      "Stick PC",
  };
  type &= 0x7f;  // bit 7 is the chassis lock flag
  if (type < sizeof kNames / sizeof kNames[0]) return kNames[type];
  return "Unknown";
}

std::unique_ptr<Collector> MakeDmiCollector() { return std::make_unique<DmiCollector>(); }

}  // namespace estate::agent
