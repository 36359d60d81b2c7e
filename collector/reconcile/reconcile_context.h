// What every reconciliation step needs: the batch it writes to, the event
// recorder, the configured rules and the software policy, the time and who
// acts (a node id or a Unix user). Lives for one report or one admin change
// on the ingest writer thread.
#ifndef ESTATE_COLLECTOR_RECONCILE_RECONCILE_CONTEXT_H_
#define ESTATE_COLLECTOR_RECONCILE_RECONCILE_CONTEXT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "collector/reconcile/drift.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/reconcile/software_policy.h"
#include "collector/store/store.h"

namespace estate::collector {

// Reconciliation rules an admin can configure (estated's [reconcile] section).
struct ReconcileOptions {
  SoftwarePolicyOptions software;
  // Drift groups tracked per asset class; classes not listed track `default_drift_groups`.
  std::map<std::string, GroupSet> drift_groups_by_class;
  GroupSet default_drift_groups = AllDriftGroups();
  // An IP alone leads to an asset only if a MAC of that asset was seen with it this recently.
  int64_t ip_match_window_s = 24 * 3600;
  // A managed asset not seen for this long is reported missing.
  int64_t missing_after_s = 30 * 24 * 3600;
  // A retired asset still on the network is reported again after this long.
  int64_t retired_seen_repeat_s = 24 * 3600;
  // Licences and contracts warn this many days before their end (itam_rules.h).
  std::vector<int> expiry_warning_days = {90, 30, 7};

  const GroupSet& DriftGroupsFor(const std::string& asset_class) const {
    auto it = drift_groups_by_class.find(asset_class);
    return it == drift_groups_by_class.end() ? default_drift_groups : it->second;
  }
};

class SoftwareInventory;

struct ReconcileContext {
  WriteBatch& batch;
  EventRecorder& events;
  const ReconcileOptions& options;
  const SoftwarePolicy& policy;
  int64_t now_micros = 0;
  std::string actor;                      // node id or Unix user
  SoftwareInventory* software = nullptr;  // nodes' packages; set on the writer thread

  int64_t now_s() const { return now_micros / 1000000; }
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_RECONCILE_CONTEXT_H_
