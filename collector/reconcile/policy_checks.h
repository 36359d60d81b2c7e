// The checks run on an asset each time new evidence arrives: software policy
// (shadow software), drift against the baseline, and the lifecycle rule that a
// retired asset must not show up. Each raises events only for what is new, so
// a host that keeps reporting the same state stays quiet.
#ifndef ESTATE_COLLECTOR_RECONCILE_POLICY_CHECKS_H_
#define ESTATE_COLLECTOR_RECONCILE_POLICY_CHECKS_H_

#include "collector/reconcile/drift.h"
#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// Re-evaluates the asset's listening services against the policy and stores
// the findings; new ones raise a shadow_software event. (Packages are judged
// as they change: SoftwareInventory.)
Status RefreshServiceFindings(
    ReconcileContext& ctx, const v1::Asset& asset,
    const google::protobuf::RepeatedPtrField<v1::ListeningSocket>& sockets);

// Compares the groups in `groups` (those tracked for the asset's class, but
// software: SoftwareInventory keeps that one) with the baseline, creating the
// baseline of a group seen for the first time, and stores the open drift; new
// differences raise drift events. `facts` may be null when only the network
// location changed. With `scope`, only tracked facts under those key
// prefixes are compared (the fields a delta changed); the baseline of a group
// seen for the first time then needs `whole_facts`, the node's complete facts.
Status RefreshDrift(ReconcileContext& ctx, const v1::Asset& asset, const v1::HostFacts* facts,
                    const GroupSet& groups, const std::vector<std::string>* scope = nullptr,
                    const v1::HostFacts* whole_facts = nullptr);

// Makes the current state of `groups` (but software) the asset's baseline and
// closes their drift.
Status AcceptBaseline(ReconcileContext& ctx, const v1::Asset& asset, const v1::HostFacts* facts,
                      const GroupSet& groups);

// Raises retired_seen when an out-of-service asset shows up (at most once per
// configured period) and clears the missing mark of an asset seen again.
void CheckSeen(ReconcileContext& ctx, int64_t previous_last_seen, v1::Asset* asset);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_POLICY_CHECKS_H_
