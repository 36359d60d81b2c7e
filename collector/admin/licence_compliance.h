// Licence compliance: what the licences owned entitle against what agents
// report installed. Every host with a title matching a licensed product's
// name is a consumer; it is covered by the licences whose rule (publisher,
// version range) its installed version satisfies, that are valid on the day
// and, when a licence is assigned, assigned to the host or its user. Hosts
// are allocated to licences (assigned ones first, then the soonest ending),
// each licence taking what its metric counts: a device, a user (the holder of
// a checked-out host, else its owner), the host's physical cores (with the
// licence's minimums per processor and per host), nothing for a site
// licence. A host no licence can take is an unlicensed install. Retired and
// disposed assets hold no installs.
//
// The catalogue is matched once per call; the hosts of the matching titles
// come from an InstallSource: the collector's title index (IndexedInstalls,
// the commands' way: no software set is read once the titles are indexed),
// or one pass over every software set (ScanInstalls: tests, benchmarks).
// Asset records are read once per host with a licensed product. Thread-safe
// as the store and catalogue are.
#ifndef ESTATE_COLLECTOR_ADMIN_LICENCE_COMPLIANCE_H_
#define ESTATE_COLLECTOR_ADMIN_LICENCE_COMPLIANCE_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "collector/ingest/ingestor.h"
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

// The cores a per_core licence counts for a host of `cores` physical cores
// on `sockets` processors: each processor at least min_cores_per_processor
// (its cores split evenly), the host at least min_cores_per_host.
uint64_t CoresToLicense(const v1::Licence& licence, uint64_t cores, uint64_t sockets);

// Where compliance learns which hosts have a title installed: `visit` is
// called for every install of `titles` (sorted catalogue title ids). `set`
// numbers the software set the install is in (dense from 0, the same for
// each of its installs within one call): the asset id is looked up once per
// set, not once per install.
using InstallVisitor = std::function<void(std::string_view asset_id, uint32_t set, uint32_t title,
                                          uint32_t version_rank)>;
using InstallSource =
    std::function<Status(const std::vector<uint32_t>& titles, const InstallVisitor& visit)>;
// One pass over every node's software set.
InstallSource ScanInstalls(Store& store);
// The ingestor's title index; titles not indexed yet are filled first (one
// pass over the sets on the writer thread, as `actor`).
InstallSource IndexedInstalls(Ingestor& ingestor, const std::string& actor);

// Every host behind each number (ComputeCompliance's max_hosts).
inline constexpr size_t kAllHosts = SIZE_MAX;

// {"at", "products": [...], "licences": [...]}; `product`: only products
// whose pattern is or matches it (empty: all). Each host list (a licence's
// "hosts", a product's "covered_hosts" and "unlicensed_hosts") names at most
// `max_hosts` hosts; the counts beside them ("host_count",
// "covered_installs", "unlicensed_installs") are always exact, and
// "hosts_truncated" says when a list was cut. Hosts are interned per call and
// allocated as indexes: strings are made only for the hosts listed.
Result<nlohmann::json> ComputeCompliance(Store& store, const SoftwareCatalogue& catalogue,
                                         const std::vector<v1::Licence>& licences, int64_t day,
                                         const std::string& product, const InstallSource& installs,
                                         size_t max_hosts);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_LICENCE_COMPLIANCE_H_
