// CollectInventory: runs collectors in order over one HostFacts. A collector
// that throws becomes a warning; the others still run. The software list comes
// out sorted by (name, architecture, source), the canonical order of
// estate/facts_delta.h. Thread-compatible.
#ifndef ESTATE_AGENT_INVENTORY_H_
#define ESTATE_AGENT_INVENTORY_H_

#include <memory>
#include <vector>

#include "agent/collectors/collector.h"
#include "estate/v1/facts.pb.h"

namespace estate::agent {

v1::HostFacts CollectInventory(const CollectContext& context,
                               const std::vector<std::unique_ptr<Collector>>& collectors);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_INVENTORY_H_
