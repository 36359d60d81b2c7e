// CollectInventory: runs collectors in order over one HostFacts. A collector
// that throws becomes a warning; the others still run. Text is made valid
// UTF-8 here, once, for every collector (host files are not always UTF-8, and
// a report with bad bytes is one no parser accepts): bad bytes become U+FFFD
// and each collector that produced some gets one warning naming the fields.
// The software list comes out sorted by (name, architecture, source), the
// canonical order of estate/facts_delta.h. Thread-compatible.
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
