// ReportApplier: turns one report from one node into writes on a WriteBatch —
// the node's sequence bookkeeping, its facts, the reconciled asset record, the
// identity index, history, and the checks new evidence triggers (software
// policy, drift, lifecycle rules). Pure logic over the batch; the Ingestor
// owns threading and durability. Not thread-safe (the ingest writer thread
// owns it).
#ifndef ESTATE_COLLECTOR_INGEST_REPORT_APPLIER_H_
#define ESTATE_COLLECTOR_INGEST_REPORT_APPLIER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/reconcile/reconcile_context.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/reconcile/software_policy.h"
#include "collector/store/store.h"
#include "estate/v1/frame.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// Who sent a report, as established by the connection's Hello.
struct Peer {
  std::string node_id;
  std::string hostname;
  std::string software_version;
  v1::PeerKind kind = v1::PEER_KIND_UNSPECIFIED;
};

// The answer to a report: an Ack, or an Error frame body with its code.
struct ApplyOutcome {
  bool ok = false;
  bool duplicate = false;  // already stored: acknowledged, nothing written
  v1::Ack ack;
  v1::Error error;
};

class ReportApplier {
 public:
  ReportApplier(EventRecorder& events, ReconcileOptions options, SoftwareInventory& software);

  // The policy later reports are checked against (admin changes reload it).
  void SetPolicy(std::shared_ptr<const SoftwarePolicy> policy) {
    policy_ = std::move(policy);
    software_.PolicyChanged();
  }
  const ReconcileOptions& options() const { return options_; }
  // A context for an admin change on the writer thread.
  ReconcileContext Context(WriteBatch& batch, int64_t now_micros, const std::string& actor);

  ApplyOutcome ApplyFull(WriteBatch& batch, const Peer& peer, const v1::FullReport& report,
                         int64_t now_micros);
  ApplyOutcome ApplyDelta(WriteBatch& batch, const Peer& peer, const v1::DeltaReport& report,
                          int64_t now_micros);
  ApplyOutcome ApplyObservations(WriteBatch& batch, const Peer& peer,
                                 const v1::ObservationReport& report, int64_t now_micros);

  // The highest sequence durably stored for `node_id` (0 when none).
  static Result<uint64_t> LastSequence(ReadView& view, const std::string& node_id);

 private:
  // Stores a full report's facts as the node's and reconciles the asset.
  Status StoreFull(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                   const v1::HostFacts& facts, uint64_t sequence, int64_t now_micros,
                   std::string* asset_id);
  // Applies a delta's changes to the node's stored facts and its asset.
  Status StoreDelta(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                    const v1::DeltaReport& report, int64_t now_micros, std::string* asset_id);
  // Drift of the tracked fields among `fields` whose tracked facts changed
  // since the node's last report (NodeState.tracked_digests); with
  // `compare_all`, every tracked group is compared (a new or merged asset).
  Status RefreshTrackedFields(ReconcileContext& ctx, const v1::Asset& asset, v1::NodeState& node,
                              const v1::HostFacts& facts, const std::vector<int>& fields,
                              bool facts_are_whole, bool compare_all);
  // Bookkeeping of a node's report: sequence, times, counters.
  void RecordNode(const Peer& peer, v1::NodeState& node, const std::string& asset_id,
                  uint64_t sequence, int64_t now_s, const std::string& hostname);
  // Settles identifier conflicts of `asset`: a discovery-only record holding
  // one of its hardware identifiers is the same device, merged in; anything
  // else becomes an identity_conflict event.
  Status SettleConflicts(ReconcileContext& ctx, v1::Asset* asset,
                         const std::vector<IdentityConflict>& conflicts);

  EventRecorder& events_;
  ReconcileOptions options_;
  SoftwareInventory& software_;
  std::shared_ptr<const SoftwarePolicy> policy_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INGEST_REPORT_APPLIER_H_
