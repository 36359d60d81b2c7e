// Asset lifecycle states and the transitions between them. Pure; thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_LIFECYCLE_H_
#define ESTATE_COLLECTOR_RECONCILE_LIFECYCLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector::lifecycle {

inline constexpr std::string_view kOrdered = "ordered";
inline constexpr std::string_view kInStock = "in_stock";
inline constexpr std::string_view kDeployed = "deployed";
inline constexpr std::string_view kCheckedOut = "checked_out";
inline constexpr std::string_view kInRepair = "in_repair";
inline constexpr std::string_view kRetired = "retired";
inline constexpr std::string_view kDisposed = "disposed";

const std::vector<std::string_view>& States();
bool IsState(std::string_view state);
// Retired and disposed assets should not be on the network any more.
bool IsOutOfService(std::string_view state);

// Ok when an asset may move `from` -> `to`; otherwise why not. An empty `from`
// is a device only discovery knew of, entering the lifecycle.
Status CheckTransition(std::string_view from, std::string_view to);

}  // namespace estate::collector::lifecycle

#endif  // ESTATE_COLLECTOR_RECONCILE_LIFECYCLE_H_
