// Maps the CONTENT of a FusionInventory / GLPI agent / OCS inventory (XML, or
// GLPI native JSON read into the same tree) onto Estate's HostFacts, so the
// report goes through the same reconciliation as estate-agent's. What maps to
// what is docs/glpi.md's table; what has no place in HostFacts is not kept.
// Pure function; thread-safe.
#ifndef ESTATE_COLLECTOR_INVENTORY_INVENTORY_FACTS_H_
#define ESTATE_COLLECTOR_INVENTORY_INVENTORY_FACTS_H_

#include "collector/inventory/inventory_tree.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {

// `content`: the CONTENT node. Units are converted (MB to bytes, dates to
// Unix seconds), MACs lower-cased, the OS normalised (docs/glpi.md, "OS").
v1::HostFacts InventoryToFacts(const InventoryNode& content);

// The OS as Estate names it, from what the agents say: FULL_NAME ("Microsoft
// Windows 10 Pro", "macOS", "Fedora release 25"), NAME, VERSION and the
// kernel's name ("MSWin32", "darwin", "linux").
v1::OsFacts NormalizeForeignOs(std::string_view full_name, std::string_view name,
                               std::string_view version, std::string_view kernel_name);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INVENTORY_INVENTORY_FACTS_H_
