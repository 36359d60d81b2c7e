// ReportApplier: turns one report from one node into writes on a WriteBatch —
// the node's sequence bookkeeping, its facts, the asset record, the identity
// index and history. Pure logic over the batch; the Ingestor owns threading
// and durability. Not thread-safe (the ingest writer thread owns it).
#ifndef ESTATE_COLLECTOR_INGEST_REPORT_APPLIER_H_
#define ESTATE_COLLECTOR_INGEST_REPORT_APPLIER_H_

#include <cstdint>
#include <string>

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
  ApplyOutcome ApplyFull(WriteBatch& batch, const Peer& peer, const v1::FullReport& report,
                         int64_t now_micros);
  ApplyOutcome ApplyDelta(WriteBatch& batch, const Peer& peer, const v1::DeltaReport& report,
                          int64_t now_micros);
  ApplyOutcome ApplyObservations(WriteBatch& batch, const Peer& peer,
                                 const v1::ObservationReport& report, int64_t now_micros);

  // The highest sequence durably stored for `node_id` (0 when none).
  static Result<uint64_t> LastSequence(ReadView& view, const std::string& node_id);

 private:
  // Stores `facts` as the node's current facts and refreshes the asset from them.
  Status StoreFacts(WriteBatch& batch, const Peer& peer, v1::NodeState& node,
                    const v1::HostFacts& facts, uint64_t sequence, const char* event_kind,
                    int64_t now_micros, std::string* asset_id);
  Result<std::string> AllocateAssetId(WriteBatch& batch);
  Status AppendEvent(WriteBatch& batch, const std::string& asset_id, int64_t now_micros,
                     v1::AssetEvent event);

  uint32_t event_counter_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INGEST_REPORT_APPLIER_H_
