// The last SNMP inventory of a network device, kept beside its asset record
// (findings table, "snmp\0<asset id>" -> v1::NetworkDevice): what `estatectl
// show` lists of a switch or printer beyond the asset summary — interfaces
// with their PVIDs, VLANs, processors, ENTITY modules and transceivers,
// addresses, storage, neighbours. The forwarding and ARP tables and the
// installed-software list are left out: they are sightings and software,
// recorded where those belong, and would make the record thousands of rows.
// Pure functions plus batch writes; thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_DEVICE_INVENTORY_H_
#define ESTATE_COLLECTOR_RECONCILE_DEVICE_INVENTORY_H_

#include <optional>
#include <string>

#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/observations.pb.h"

namespace estate::collector {

std::string DeviceInventoryKey(const std::string& asset_id);

// `device` without what is not kept (see above).
v1::NetworkDevice InventoryOf(const v1::NetworkDevice& device);

// Replaces the asset's stored inventory with `device`'s.
void PutDeviceInventory(WriteBatch& batch, const std::string& asset_id,
                        const v1::NetworkDevice& device);

// The stored inventory, nullopt when the asset has none.
Result<std::optional<v1::NetworkDevice>> GetDeviceInventory(ReadView& view,
                                                            const std::string& asset_id);

// On a merge: `gone`'s inventory moves to `keep` unless `keep` has a newer one.
Status MoveDeviceInventory(WriteBatch& batch, const std::string& gone_id,
                           const std::string& keep_id);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_DEVICE_INVENTORY_H_
