// SnmpEngine: inventories many devices at once on one thread. Each device is a
// DeviceCollector driven through its LiveSession; at most `concurrency`
// devices are in flight, the rest wait their turn. The loop multiplexes all
// open net-snmp sessions with select (large fd sets) and net-snmp's own
// timeouts and retries. A device that fails (no answer, caps) yields a device
// with warnings; the others carry on.
//
// Not thread-safe; Run() blocks until every target is done.
#ifndef ESTATE_PLUGINS_SNMP_SNMP_ENGINE_H_
#define ESTATE_PLUGINS_SNMP_SNMP_ENGINE_H_

#include <functional>
#include <string>
#include <vector>

#include "estate/v1/observations.pb.h"
#include "plugins/snmp/credentials.h"
#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

struct EngineOptions {
  Credentials credentials;
  TransportOptions transport;
  size_t concurrency = 256;
  CollectLimits limits;
};

struct EngineStats {
  size_t devices = 0;
  size_t answered = 0;
  size_t requests = 0;
  size_t values = 0;
};

class SnmpEngine {
 public:
  SnmpEngine(EngineOptions options, const PluginRegistry& plugins,
             const EnterpriseRegistry* enterprises);

  // `addresses` are numeric IPv4/IPv6 addresses. `on_device` receives each
  // device as it completes (completion order) and nothing is kept, so memory
  // is bounded by the devices in flight.
  void Run(const std::vector<std::string>& addresses,
           const std::function<void(v1::NetworkDevice&&)>& on_device);
  // Convenience for small scans and tests: every device, in input order.
  std::vector<v1::NetworkDevice> RunAll(const std::vector<std::string>& addresses);
  const EngineStats& stats() const { return stats_; }

 private:
  EngineOptions options_;
  const PluginRegistry& plugins_;
  const EnterpriseRegistry* enterprises_;
  EngineStats stats_;
};

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_SNMP_ENGINE_H_
