// One RPM header blob as stored in rpmdb.sqlite (index entries pointing into a
// data area): offsets, counts and types all come from the file.
#include <cstdint>
#include <string_view>

#include "agent/collectors/rpm_collector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)estate::agent::ParseRpmHeader(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
