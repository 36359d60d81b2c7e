#include "agent/collectors/builtin_collectors.h"

#include "agent/collectors/cpu_collector.h"
#include "agent/collectors/memory_collector.h"
#include "agent/collectors/network_collector.h"
#include "agent/collectors/os_collector.h"
#include "agent/collectors/system_collector.h"

namespace estate::agent {

std::vector<std::unique_ptr<Collector>> BuiltinCollectors() {
  std::vector<std::unique_ptr<Collector>> list;
  list.push_back(MakeSystemCollector());  // first: others read its architecture
  list.push_back(MakeOsCollector());
  list.push_back(MakeCpuCollector());
  list.push_back(MakeMemoryCollector());
  list.push_back(MakeNetworkCollector());
  return list;
}

}  // namespace estate::agent
