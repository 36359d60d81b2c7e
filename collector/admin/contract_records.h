// Contract records in the store: keys, loading, and the checks of what an
// admin types. Pure except for the loaders.
#ifndef ESTATE_COLLECTOR_ADMIN_CONTRACT_RECORDS_H_
#define ESTATE_COLLECTOR_ADMIN_CONTRACT_RECORDS_H_

#include <string>
#include <vector>

#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

inline constexpr const char* kContractTypes[] = {"support", "lease", "warranty", "maintenance",
                                                 "subscription"};

// The kSettings key of a contract: "contract\0<id>".
std::string ContractKey(const std::string& id);
Result<std::vector<v1::Contract>> LoadContracts(Store& store);
Result<std::vector<v1::Contract>> LoadContracts(WriteBatch& batch);

// Whether the contract covers day `day` (days since the epoch).
bool ContractActive(const v1::Contract& contract, int64_t day);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_CONTRACT_RECORDS_H_
