// ObservationSink: where scanners put what they find. JSON lines on a stream,
// human-readable lines, or ObservationReports streamed to estated in batches,
// each answered by an Ack before the next is sent.
//
// Not thread-safe: one scanner thread owns a sink.
#ifndef ESTATE_PLUGINS_PASSIVE_OBSERVATION_SINK_H_
#define ESTATE_PLUGINS_PASSIVE_OBSERVATION_SINK_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "estate/collector_client.h"
#include "estate/host_root.h"
#include "estate/status.h"
#include "estate/v1/frame.pb.h"
#include "estate/v1/observations.pb.h"

namespace estate::plugins {

class ObservationSink {
 public:
  virtual ~ObservationSink() = default;
  virtual Status Add(v1::Observation observation) = 0;
  // Delivers whatever is buffered; called at the end of a scan.
  virtual Status Flush() = 0;
};

// One JSON object per line (estate::ProtoToJson), flushed per line.
std::unique_ptr<ObservationSink> MakeJsonLinesSink(std::FILE* out);
// "10.0.0.2  78:31:c1:c6:3f:c2  Apple, Inc.  1.2 ms  [flags]" lines.
std::unique_ptr<ObservationSink> MakeTextSink(std::FILE* out);

// Sends one request frame and returns the answer (CollectorClient::Call in
// production; a recorder in tests).
using FrameCall = std::function<Result<v1::Frame>(v1::Frame)>;

struct CollectorSinkOptions {
  size_t batch_size = 512;
  uint64_t first_sequence = 1;
  int max_retries = 5;  // for Unavailable / RateLimited answers
};

// Batches observations into ObservationReports. An Error answer other than
// Unavailable/RateLimited fails the Add/Flush that sent it.
std::unique_ptr<ObservationSink> MakeCollectorSink(FrameCall call, CollectorSinkOptions options);

// CollectorClient options for a scanner: PEER_KIND_SCANNER, node id from
// /etc/machine-id under `root`, this host's name.
CollectorClientOptions ScannerClientOptions(const Endpoint& collector, const HostRoot& root);

// Connects to the collector and returns a sink streaming to it; the client
// is owned by the sink. `config` is an agent config file with the TLS and
// enrollment settings (estate/collector_config.h); empty for none.
Result<std::unique_ptr<ObservationSink>> ConnectCollectorSink(const std::string& endpoint,
                                                              const std::string& config,
                                                              size_t batch_size = 512);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_OBSERVATION_SINK_H_
