// Everything the collector does with decoded agent and scanner messages: the
// input is a byte stream of frames as a peer would send on one connection
// (Hello, then FullReport / DeltaReport / ObservationReport). Reports go
// through the ReportApplier exactly as the Ingestor's writer applies a group:
// one batch, a save point per report, rollback when a report is refused. The
// batch is never committed, so every input starts from the same empty store
// and a crash reproduces from its input alone.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "collector/ingest/report_applier.h"
#include "estate/framing.h"
#include "estate/text.h"
#include "tests/fuzz/fuzz_store.h"

namespace estate::collector {
namespace {

constexpr int64_t kNow = 1'800'000'000'000'000;  // microseconds

struct Collector {
  Collector() {
    auto events = EventRecorder::Open(db.store());
    if (!events.ok()) std::abort();
    recorder = std::move(*events);
    auto inventory = SoftwareInventory::Open(db.store());
    if (!inventory.ok()) std::abort();
    software = std::move(*inventory);
    applier = std::make_unique<ReportApplier>(*recorder, ReconcileOptions{}, *software);
  }
  fuzz::FuzzStore db;
  std::unique_ptr<EventRecorder> recorder;
  std::unique_ptr<SoftwareInventory> software;
  std::unique_ptr<ReportApplier> applier;
};

// The checks AgentSession::HandleHello makes before it trusts a node id.
bool AcceptHello(const v1::Hello& hello, Peer* peer) {
  const uint32_t peer_max = hello.protocol_version();
  const uint32_t peer_min = hello.min_protocol_version() ? hello.min_protocol_version() : peer_max;
  if (peer_max < kMinProtocolVersion || peer_min > kProtocolVersion) return false;
  if (hello.node_id().empty() || hello.node_id().size() > 256 ||
      hello.node_id().find('\0') != std::string::npos) {
    return false;
  }
  peer->node_id = hello.node_id();
  peer->hostname = SanitizeUtf8(hello.hostname());
  peer->software_version = SanitizeUtf8(hello.software_version());
  peer->kind = hello.kind();
  return true;
}

}  // namespace
}  // namespace estate::collector

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace estate;
  using namespace estate::collector;
  // Closed by an atexit handler registered after RocksDB's own statics exist
  // (the first Open creates them), so the store closes before they go away.
  static Collector* collector = [] {
    auto* c = new Collector();
    std::atexit([] { delete collector; });
    return c;
  }();
  FrameDecoder decoder(kDefaultMaxFrameBytes);
  decoder.Append(std::string_view(reinterpret_cast<const char*>(data), size));
  auto batch = collector->db.store().NewBatch();
  Peer peer;
  bool said_hello = false;
  std::string payload;
  while (decoder.Next(&payload).ok()) {
    v1::Frame frame;
    if (!DecodeFramePayload(payload, &frame).ok()) break;  // the session closes
    if (frame.has_hello()) {
      if (said_hello || !AcceptHello(frame.hello(), &peer)) break;
      said_hello = true;
      (void)ReportApplier::LastSequence(*batch, peer.node_id);
      continue;
    }
    if (!said_hello) break;
    batch->SetSavePoint();
    ApplyOutcome outcome;
    if (frame.has_full_report()) {
      outcome = collector->applier->ApplyFull(*batch, peer, frame.full_report(), kNow);
    } else if (frame.has_delta_report()) {
      outcome = collector->applier->ApplyDelta(*batch, peer, frame.delta_report(), kNow);
    } else if (frame.has_observations()) {
      outcome = collector->applier->ApplyObservations(*batch, peer, frame.observations(), kNow);
    } else {
      break;  // an answer-type or unknown body: the session closes
    }
    if (!outcome.ok) batch->RollbackToSavePoint();
    // The batch is never committed: nothing a report interned may stay.
    collector->software->EndReport(/*kept=*/false);
  }
  (void)collector->software->EndGroup();  // never committed: never applied
  return 0;
}
