// The valuation of the estate as `value` and `report` show it: every asset
// the filter selects, and the licences and contracts when no filter narrows
// the assets (they belong to no asset's class or location).
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_ESTATE_VALUE_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_ESTATE_VALUE_H_

#include "collector/admin/asset_filter.h"
#include "collector/admin/valuation.h"
#include "collector/ingest/ingestor.h"
#include "collector/store/store.h"

namespace estate::collector {

// Adds the licences' and contracts' costs, amortised over their terms.
Status AddLicencesAndContracts(Store& store, Valuation& valuation);

Result<Valuation> ValueEstate(Store& store, Ingestor& ingestor, const AssetFilter& filter,
                              int64_t at_day);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_ESTATE_VALUE_H_
