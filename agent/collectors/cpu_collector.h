// CpuCollector: model, vendor, sockets, physical cores, hardware threads,
// frequency and the flags that matter for inventory (virtualization, crypto).
// From /proc/cpuinfo and /sys/devices/system/cpu.
#ifndef ESTATE_AGENT_COLLECTORS_CPU_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_CPU_COLLECTOR_H_

#include <memory>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeCpuCollector();

v1::CpuFacts ParseCpuinfo(std::string_view cpuinfo);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_CPU_COLLECTOR_H_
