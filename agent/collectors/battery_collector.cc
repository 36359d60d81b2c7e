#include "agent/collectors/battery_collector.h"

#include <cmath>

#include "estate/text.h"

namespace estate::agent {
namespace {

std::string Get(const std::map<std::string, std::string>& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? std::string() : it->second;
}

uint64_t GetUint(const std::map<std::string, std::string>& p, const char* key) {
  return ParseUint(Get(p, key)).value_or(0);
}

class BatteryCollector : public Collector {
 public:
  std::string_view Name() const override { return "battery"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    constexpr std::string_view kClass = "/sys/class/power_supply";
    auto entries = root.ListDir(kClass);
    if (!entries.ok()) return;  // no power_supply class: a desktop or a VM
    for (const auto& entry : *entries) {
      const std::string dir = std::string(kClass) + "/" + entry;
      auto type = root.ReadLine(dir + "/type");
      if (!type.ok() || *type != "Battery") continue;  // Mains, USB, UPS
      auto uevent = root.ReadFile(dir + "/uevent", 64 << 10);
      if (!uevent.ok()) {
        AddWarning(facts, Name(), uevent.status());
        continue;
      }
      auto properties = ParsePowerSupplyUevent(*uevent);
      if (Get(properties, "SCOPE") == "Device") continue;  // a peripheral's battery
      if (Get(properties, "PRESENT") == "0") continue;     // an empty bay
      if (properties.count("NAME") == 0) properties["NAME"] = entry;
      v1::Battery battery;
      Status status = BatteryFromUevent(properties, &battery);
      if (!status.ok()) AddWarning(facts, Name(), dir + "/uevent: " + status.message());
      *facts->add_batteries() = std::move(battery);
    }
  }
};

}  // namespace

std::map<std::string, std::string> ParsePowerSupplyUevent(std::string_view text) {
  constexpr std::string_view kPrefix = "POWER_SUPPLY_";
  std::map<std::string, std::string> properties;
  for (std::string_view line : Split(text, '\n')) {
    if (!StartsWith(line, kPrefix)) continue;
    line.remove_prefix(kPrefix.size());
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    properties[std::string(line.substr(0, eq))] = SanitizeUtf8(Trim(line.substr(eq + 1)));
  }
  return properties;
}

Status BatteryFromUevent(const std::map<std::string, std::string>& p, v1::Battery* battery) {
  battery->set_name(Get(p, "NAME"));
  battery->set_manufacturer(Get(p, "MANUFACTURER"));
  battery->set_model(Get(p, "MODEL_NAME"));
  battery->set_serial(Get(p, "SERIAL_NUMBER"));
  battery->set_technology(Get(p, "TECHNOLOGY"));
  battery->set_status(Get(p, "STATUS"));
  battery->set_cycle_count(static_cast<uint32_t>(GetUint(p, "CYCLE_COUNT")));
  battery->set_charge_percent(static_cast<uint32_t>(GetUint(p, "CAPACITY")));
  // The kernel reports µWh (energy_*) or µAh (charge_*), by what the
  // firmware gives; either keeps its unit: converting needs a voltage.
  const bool energy = p.count("ENERGY_FULL_DESIGN") > 0 || p.count("ENERGY_FULL") > 0;
  const char* design_key = energy ? "ENERGY_FULL_DESIGN" : "CHARGE_FULL_DESIGN";
  const char* full_key = energy ? "ENERGY_FULL" : "CHARGE_FULL";
  const uint64_t design = GetUint(p, design_key) / 1000;
  const uint64_t full = GetUint(p, full_key) / 1000;
  if (design != 0 || full != 0) battery->set_capacity_unit(energy ? "mWh" : "mAh");
  battery->set_design_capacity(design);
  battery->set_full_capacity(full);
  if (design == 0) {
    return Status::InvalidArgument("no design capacity; health unknown");
  }
  battery->set_health_percent(
      std::round(1000.0 * static_cast<double>(full) / static_cast<double>(design)) / 10);
  return Status::Ok();
}

std::unique_ptr<Collector> MakeBatteryCollector() { return std::make_unique<BatteryCollector>(); }

}  // namespace estate::agent
