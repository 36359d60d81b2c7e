// Monitors as assets of their own (child_assets.h): each monitor an agent reports with a serial
// becomes (or is found again as) an asset of class "monitor" whose parent is
// the reporting host, keyed by the identity "monitor" = "<PNP id>:<serial>" so
// a monitor carried to another desk shows as a move, not as two monitors.
// Monitors without a serial (most laptop panels) stay facts of their host.
// Runs on the ingest writer thread, inside the report's batch.
#ifndef ESTATE_COLLECTOR_RECONCILE_MONITOR_ASSETS_H_
#define ESTATE_COLLECTOR_RECONCILE_MONITOR_ASSETS_H_

#include <string>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The identity value of a monitor: "DEL:KYJ231716UHE"; empty without a serial.
std::string MonitorIdentity(const v1::Monitor& monitor);

// Creates, updates and re-parents the monitor assets of `host`'s `monitors`.
Status SyncMonitorAssets(ReconcileContext& ctx, const v1::Asset& host,
                         const google::protobuf::RepeatedPtrField<v1::Monitor>& monitors);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_MONITOR_ASSETS_H_
