// Sightings are updated by every observation of a MAC or address. Folding a
// new observation into the stored record is a RocksDB merge, so the ingest
// path writes it without reading the old record first.
#ifndef ESTATE_COLLECTOR_STORE_SIGHTING_MERGE_H_
#define ESTATE_COLLECTOR_STORE_SIGHTING_MERGE_H_

#include <string>
#include <string_view>

#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// Folds `update` (a later observation) into `into`: the earliest first_seen,
// the latest last_seen, non-empty fields of the update win, sources are a set.
void FoldSighting(const v1::Sighting& update, v1::Sighting* into);

// The merge operator's body over serialized records; false when one is unparsable.
bool MergeSightingRecords(const std::string_view* existing, std::string_view update,
                          std::string* merged);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_SIGHTING_MERGE_H_
