// What a policy change reaches, right after an admin makes it. Package
// verdicts are not stored per host (they are derived from each version's
// verdict and the install counts), so `shadow` reflects a package rule at
// once; listening services are findings per host and are re-checked here.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMANDS_POLICY_RESCAN_H_
#define ESTATE_COLLECTOR_ADMIN_COMMANDS_POLICY_RESCAN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct PolicyReach {
  uint64_t assets_rechecked = 0;   // hosts whose services were re-checked
  uint64_t installs_matching = 0;  // package installs the changed rule or name matches
  // Installed software the change made prohibited: "name version" of each
  // such version, and per affected asset what it has of them. Each affected
  // host gets a critical software difference (SoftwareInventory::FlagProhibited).
  std::vector<std::string> newly_prohibited;
  std::map<std::string, std::vector<std::string>> prohibited_hosts;  // asset -> "name version"
};

// The policy_changed event of a change: info, or critical (one per change)
// when it made installed software prohibited, naming the hosts.
v1::Event PolicyChangedEvent(const std::string& summary, const PolicyReach& reach,
                             const std::string& actor);

// The policy in the store plus `added` (not yet committed), or minus the rule
// `removed_id`, or with `ignored_name` silenced: services re-checked on every
// host that has findings (on every host when unknown services are allowed and
// the change can flag some), installs counted for the package rule or name,
// and installed versions the change makes prohibited flagged on their hosts.
Result<PolicyReach> RescanSoftwarePolicy(ReconcileContext& ctx, Store& store,
                                         const std::optional<v1::SoftwareRule>& added,
                                         const std::string& removed_id = "",
                                         const std::string& ignored_name = "");

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMANDS_POLICY_RESCAN_H_
