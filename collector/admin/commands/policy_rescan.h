// Re-checks every endpoint's software against the policy right after an
// admin changes it, so `shadow` reflects the change without waiting for the
// next report from each host.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_POLICY_RESCAN_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_POLICY_RESCAN_H_

#include <optional>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The policy in the store plus `added` (not yet committed), or minus the rule
// `removed_id`, re-applied to each asset's stored facts. Returns the number of
// assets re-checked.
Result<uint64_t> RescanSoftwarePolicy(ReconcileContext& ctx, Store& store,
                                      const std::optional<v1::SoftwareRule>& added,
                                      const std::string& removed_id = "",
                                      const std::string& ignored_name = "");

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_POLICY_RESCAN_H_
