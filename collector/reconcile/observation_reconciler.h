// Reconciles what scanners saw into asset records: each sighting (ARP,
// passive, probes, SNMP ARP/forwarding/neighbour tables) and each SNMP device
// inventory goes to the asset it identifies, or creates a discovered asset
// (a shadow device until an admin approves it or an agent reports from it).
// Rules (docs/architecture.md, "Reconciliation"): a MAC decides; an IP alone
// only leads to an asset whose MAC was seen with it within the IP window; an
// SNMP device is found by ENTITY-MIB serial, then its interface MACs, then IP.
#ifndef ESTATE_COLLECTOR_RECONCILE_OBSERVATION_RECONCILER_H_
#define ESTATE_COLLECTOR_RECONCILE_OBSERVATION_RECONCILER_H_

#include <cstdint>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/observations.pb.h"

namespace estate::collector {

// `ctx.actor` is the scanner's node id.
Status ReconcileObservation(ReconcileContext& ctx, const v1::Observation& observation,
                            uint64_t sequence);
Status ReconcileNetworkDevice(ReconcileContext& ctx, const v1::NetworkDevice& device,
                              uint64_t sequence);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_OBSERVATION_RECONCILER_H_
