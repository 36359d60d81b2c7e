// The raw SMBIOS structure table (/sys/firmware/dmi/tables/DMI): structure
// lengths, string sets and type 17 memory device fields come from firmware.
#include <cstdint>
#include <string_view>

#include "agent/collectors/smbios_collector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)estate::agent::ParseSmbiosMemoryDevices(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
