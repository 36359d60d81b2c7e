// DmiCollector: system, chassis, BIOS and board identity from
// /sys/class/dmi/id. Serials and the UUID are readable by root only; when
// the agent cannot read them their names go to DmiFacts.unavailable instead
// of an empty value.
#ifndef ESTATE_AGENT_COLLECTORS_DMI_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_DMI_COLLECTOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeDmiCollector();

// SMBIOS chassis type number (3.0 spec table 17) -> "Desktop", "Notebook", ...
std::string ChassisTypeName(uint64_t type);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_DMI_COLLECTOR_H_
