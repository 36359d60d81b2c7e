// SmbiosCollector: memory modules (SMBIOS type 17, one per slot) from the raw
// table in /sys/firmware/dmi/tables/DMI. The table is root-only; without root
// "memory_modules" is listed in DmiFacts.unavailable. A truncated or
// malformed table yields the modules parsed before the damage plus a warning.
#ifndef ESTATE_AGENT_COLLECTORS_SMBIOS_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_SMBIOS_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeSmbiosCollector();

struct SmbiosMemory {
  std::vector<v1::MemoryModule> modules;
  std::string error;  // non-empty when the table was cut short or malformed
};

// Parses a raw SMBIOS structure table (no entry point) for type 17 records.
SmbiosMemory ParseSmbiosMemoryDevices(std::string_view table);

// SMBIOS memory type byte -> "DDR4", ...; form factor byte -> "DIMM", ...
std::string SmbiosMemoryType(uint8_t type);
std::string SmbiosFormFactor(uint8_t form_factor);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_SMBIOS_COLLECTOR_H_
