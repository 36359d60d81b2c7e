// The two recorded-SNMP text parsers: `snmpwalk -On` output (multi-line
// strings, Hex-STRING, Timeticks, ...) and snmpsim/LibreNMS snmprec lines.
#include <cstdint>
#include <string_view>

#include "plugins/snmp/walk_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)estate::plugins::snmp::ParseSnmpWalk(text);
  (void)estate::plugins::snmp::ParseSnmprec(text);
  return 0;
}
