// Finds the asset an admin means by any of its identifiers: asset id, host
// name, FQDN, MAC, IP, serial, DMI UUID, machine-id or asset tag.
#ifndef ESTATE_COLLECTOR_ADMIN_ASSET_LOOKUP_H_
#define ESTATE_COLLECTOR_ADMIN_ASSET_LOOKUP_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// NotFound with a clear message when nothing matches. Asset tags and serials
// match in any case.
Result<v1::Asset> LookupAsset(ReadView& view, const std::string& what);

// Calls `visit` with every asset a list shows (every record but those merged
// into another), in id order, until it returns false. The message passed is
// reused from one record to the next: copy what must outlive the call. An
// unparsable record stops the scan with Corruption.
Status ScanLiveAssets(Store& store, const std::function<bool(const v1::Asset&)>& visit);

// The assets a list shows: every record but those merged into another. Exact
// (reads every record), unlike the store's key estimate, which counts merged
// records and deleted keys not yet compacted.
Result<uint64_t> CountAssets(Store& store);

// The asset id holding an asset tag or serial in any case: the index keeps
// tags in lower case, but stores written before that (and serials, as
// devices report them) hold them as given.
Result<std::optional<std::string>> FindIdentityAnyCase(ReadView& view, std::string_view kind,
                                                       const std::string& value);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ASSET_LOOKUP_H_
