#include "collector/reconcile/lifecycle.h"

#include <algorithm>
#include <map>
#include <set>

namespace estate::collector::lifecycle {
namespace {

// Allowed moves. Check-out and check-in have their own commands (custody is
// recorded with them), so only they enter or leave checked_out.
const std::map<std::string_view, std::set<std::string_view>>& Transitions() {
  static const auto* transitions = new std::map<std::string_view, std::set<std::string_view>>{
      {"", {kOrdered, kInStock, kDeployed, kInRepair, kRetired, kDisposed}},
      {kOrdered, {kInStock, kDeployed, kRetired}},
      {kInStock, {kDeployed, kCheckedOut, kInRepair, kRetired}},
      {kDeployed, {kInStock, kCheckedOut, kInRepair, kRetired}},
      {kCheckedOut, {kInStock, kDeployed, kInRepair}},
      {kInRepair, {kInStock, kDeployed, kRetired}},
      {kRetired, {kInStock, kDisposed}},
      {kDisposed, {}},
  };
  return *transitions;
}

}  // namespace

const std::vector<std::string_view>& States() {
  static const std::vector<std::string_view> states = {kOrdered,  kInStock, kDeployed, kCheckedOut,
                                                       kInRepair, kRetired, kDisposed};
  return states;
}

bool IsState(std::string_view state) {
  const auto& all = States();
  return std::find(all.begin(), all.end(), state) != all.end();
}

bool IsOutOfService(std::string_view state) { return state == kRetired || state == kDisposed; }

Status CheckTransition(std::string_view from, std::string_view to) {
  if (!IsState(to)) {
    return Status::InvalidArgument(
        "unknown state '" + std::string(to) +
        "' (ordered, in_stock, deployed, checked_out, in_repair, retired, disposed)");
  }
  if (from == to) return Status::InvalidArgument("the asset is already " + std::string(to));
  auto it = Transitions().find(from);
  if (it == Transitions().end() || !it->second.count(to)) {
    const std::string what =
        from.empty() ? "a discovered device" : "a " + std::string(from) + " asset";
    std::string allowed;
    if (it != Transitions().end()) {
      for (auto s : it->second) allowed += (allowed.empty() ? "" : ", ") + std::string(s);
    }
    return Status::InvalidArgument(
        "cannot move " + what + " to " + std::string(to) +
        (allowed.empty() ? " (final state)" : " (allowed: " + allowed + ")"));
  }
  return Status::Ok();
}

}  // namespace estate::collector::lifecycle
