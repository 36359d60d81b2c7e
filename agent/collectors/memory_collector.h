// MemoryCollector: RAM and swap totals from /proc/meminfo.
#ifndef ESTATE_AGENT_COLLECTORS_MEMORY_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_MEMORY_COLLECTOR_H_

#include <memory>
#include <string_view>

#include "agent/collectors/collector.h"
#include "estate/status.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeMemoryCollector();

// Corruption when MemTotal is missing.
Result<v1::MemoryFacts> ParseMeminfo(std::string_view meminfo);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_MEMORY_COLLECTOR_H_
