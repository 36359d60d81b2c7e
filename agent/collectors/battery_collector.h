// BatteryCollector: the host's own batteries from /sys/class/power_supply
// (type Battery; a mouse's or a headset's battery, scope Device, is left out):
// identity (manufacturer, model, serial), chemistry, and health as the last
// full charge over the design capacity.
#ifndef ESTATE_AGENT_COLLECTORS_BATTERY_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_BATTERY_COLLECTOR_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

// POWER_SUPPLY_<KEY>=value lines of a power_supply uevent file, keyed by
// <KEY> ("ENERGY_FULL_DESIGN").
std::map<std::string, std::string> ParsePowerSupplyUevent(std::string_view text);

// The battery those properties describe. InvalidArgument (with the battery
// still filled in, health left 0) when the design capacity is missing or 0.
Status BatteryFromUevent(const std::map<std::string, std::string>& properties,
                         v1::Battery* battery);

std::unique_ptr<Collector> MakeBatteryCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_BATTERY_COLLECTOR_H_
