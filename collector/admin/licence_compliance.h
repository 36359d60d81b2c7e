// Licence compliance: what the licences owned entitle against what agents
// report installed. Every host with a title matching a licensed product's
// name is a consumer; it is covered by the licences whose rule (publisher,
// version range) its installed version satisfies, that are valid on the day
// and, when a licence is assigned, assigned to the host or its user. Hosts
// are allocated to licences (assigned ones first, then the soonest ending),
// each licence taking what its metric counts: a device, a user (the holder of
// a checked-out host, else its owner), the host's logical CPUs, nothing for a
// site licence. A host no licence can take is an unlicensed install.
//
// Reads the software sets once per call (one decode per node, whatever the
// number of licences); the catalogue is matched once per call. Thread-safe
// as the store and catalogue are.
#ifndef ESTATE_COLLECTOR_ADMIN_LICENCE_COMPLIANCE_H_
#define ESTATE_COLLECTOR_ADMIN_LICENCE_COMPLIANCE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/reconcile/software_catalogue.h"
#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

inline constexpr const char* kLicenceMetrics[] = {"per_device", "per_user", "per_core",
                                                  "concurrent", "site",     "subscription"};

// The kSettings key of a licence: "licence\0<id>".
std::string LicenceKey(const std::string& id);
Result<std::vector<v1::Licence>> LoadLicences(Store& store);
Result<std::vector<v1::Licence>> LoadLicences(WriteBatch& batch);

// Whether the licence is valid on `day` (days since the epoch).
bool LicenceActive(const v1::Licence& licence, int64_t day);

// {"at", "products": [...], "licences": [...]}; `product`: only products
// whose pattern is or matches it (empty: all).
Result<nlohmann::json> ComputeCompliance(Store& store, const SoftwareCatalogue& catalogue,
                                         const std::vector<v1::Licence>& licences, int64_t day,
                                         const std::string& product);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_LICENCE_COMPLIANCE_H_
