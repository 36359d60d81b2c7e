// Writes one asset as a GLPI native inventory (the inventory_format JSON of
// glpi-project, what GLPI Agent sends and `glpi-injector` or GLPI's
// "Import from file" take): BIOS, HARDWARE, OPERATINGSYSTEM, CPUS, MEMORIES,
// STORAGES, DRIVES, NETWORKS, SOFTWARES, USERS, LOCAL_USERS, LOCAL_GROUPS and
// MONITORS from the facts one endpoint agent reported, plus the asset tag an
// admin set. What maps to what, and what GLPI's format has no place for, is
// docs/glpi.md ("Export"). Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_GLPI_EXPORT_H_
#define ESTATE_COLLECTOR_ADMIN_GLPI_EXPORT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The reporting node an inventory is written from.
struct GlpiExportSource {
  std::string node_id;  // "fusioninventory:<DEVICEID>", an estate-agent's node id, ...
  std::string kind;     // "agent", "glpi-agent", "fusioninventory", "ocs"
  std::string version;  // the agent's software version
  v1::HostFacts facts;  // its facts, software included
};

// The source an asset is exported from: the index in asset.sources() of an
// endpoint agent (GLPI Agent and FusionInventory first, as their reports are
// closest to the format, then the most recently seen); -1 when it has none
// (only discovered: nothing to write a computer inventory from).
int GlpiExportSourceIndex(const v1::Asset& asset);

// The GLPI inventory document of `asset` ({"action":"inventory",
// "deviceid":..., "itemtype":"Computer", "content":{...}}).
nlohmann::json GlpiInventory(const v1::Asset& asset, const GlpiExportSource& source);

// The DEVICEID GLPI knows the asset by: a foreign agent's own (so GLPI links
// the export to the agent it already knows), else "<host>-<first seen
// YYYY-MM-DD-HH-MM-SS>" in the agents' shape.
std::string GlpiDeviceId(const v1::Asset& asset, const GlpiExportSource& source);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_GLPI_EXPORT_H_
