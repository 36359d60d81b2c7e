// The dpkg status database parser (<root>/var/lib/dpkg/status), which any
// package's control fields end up in.
#include <cstdint>
#include <string_view>

#include "agent/collectors/dpkg_collector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)estate::agent::ParseDpkgStatus(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
