// Finds the asset an admin means by any of its identifiers: asset id, host
// name, FQDN, MAC, IP, serial, DMI UUID, machine-id or asset tag.
#ifndef ESTATE_COLLECTOR_ADMIN_ASSET_LOOKUP_H_
#define ESTATE_COLLECTOR_ADMIN_ASSET_LOOKUP_H_

#include <string>

#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// NotFound with a clear message when nothing matches.
Result<v1::Asset> LookupAsset(ReadView& view, const std::string& what);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ASSET_LOOKUP_H_
