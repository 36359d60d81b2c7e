// Drift: differences between an asset's tracked facts and its approved
// baseline. Tracked facts are flattened to "group.kind.key" -> value so one
// comparison covers hardware, OS, software and network location alike. Pure;
// thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_DRIFT_H_
#define ESTATE_COLLECTOR_RECONCILE_DRIFT_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

namespace drift_group {
inline constexpr std::string_view kHardware = "hardware";
inline constexpr std::string_view kOs = "os";
inline constexpr std::string_view kSoftware = "software";
inline constexpr std::string_view kNetwork = "network";
}  // namespace drift_group

using TrackedFacts = std::map<std::string, std::string>;
using GroupSet = std::set<std::string, std::less<>>;

const GroupSet& AllDriftGroups();

// The tracked facts of `groups`: hardware, OS and software from an agent's
// `facts` (skipped when null), network location from the asset record.
TrackedFacts CollectTrackedFacts(const v1::Asset& asset, const v1::HostFacts* facts,
                                 const GroupSet& groups);

// Verdict of a package by name and version, for the severity of a software change.
using PackageVerdictFn =
    std::function<std::string_view(std::string_view name, std::string_view version)>;

// Differences over the groups present in `groups`, each with a severity:
// critical (prohibited software installed), high (hardware removed or
// replaced, serial changed), medium (hardware added, OS change, unapproved or
// unknown software installed, switch port moved), low (kernel, package
// upgrades and removals, IP change).
std::vector<v1::DriftItem> CompareToBaseline(const v1::Baseline& baseline,
                                             const TrackedFacts& current, const GroupSet& groups,
                                             const PackageVerdictFn& verdict);

// Rank of a severity name: info 0 .. critical 4.
int SeverityRank(std::string_view severity);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_DRIFT_H_
