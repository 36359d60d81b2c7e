// SNMP answers -> device facts: a recording (snmprec "OID|TAG|value" lines)
// is served by a ReplaySession to the same DeviceCollector `scan snmp` runs
// against live devices, so every varbind a hostile or broken agent could send
// (any OID, type or value, loops, holes) reaches the MIB mappers and vendor
// plugins; then the device's observations are derived as for the collector.
#include <cstdint>
#include <string_view>

#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/observations.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/vendor_plugin.h"
#include "plugins/snmp/walk_parser.h"

namespace snmp = estate::plugins::snmp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const snmp::PluginRegistry plugins = snmp::MakeBuiltinPlugins();
  auto parsed = snmp::ParseSnmprec(std::string_view(reinterpret_cast<const char*>(data), size));
  snmp::ReplaySession session(std::move(parsed.varbinds), (size & 1) ? "v1" : "v2c");
  snmp::CollectLimits limits;
  limits.max_oids = 5000;  // keeps one input fast; the cap itself is a path worth reaching
  limits.max_repetitions = 10;
  snmp::DeviceCollector collector("192.0.2.1", session.Version(), plugins, nullptr, limits);
  const estate::v1::NetworkDevice device = snmp::CollectSync(collector, session);
  (void)snmp::DeviceObservations(device);
  return 0;
}
