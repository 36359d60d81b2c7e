// TruthFeeder: plays a TruthFleet against a real estated over the wire
// protocol, as its agents and scanners would: each agent enrolls, says Hello
// and sends its full report then its deltas; each subnet's scanner sends one
// sweep per round. The reports of all nodes go in one seeded random order
// (each node's own reports in sequence, as a real node sends them), split over
// a few relay connections (node i on connection i % C, each connection on its
// own thread, one report at a time per connection).
//
// Not thread-safe: one Feed() at a time.
#ifndef ESTATE_TESTS_LOADGEN_TRUTH_FEEDER_H_
#define ESTATE_TESTS_LOADGEN_TRUTH_FEEDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/endpoint.h"
#include "estate/status.h"
#include "estate/tls_client.h"
#include "tests/loadgen/truth_fleet.h"

namespace estate::loadgen {

struct FeedOptions {
  Endpoint collector;
  TlsClientOptions tls;
  std::string enroll_secret;  // empty: nodes say Hello without a key
  uint32_t connections = 4;
  uint64_t order_seed = 1;
};

struct FeedStats {
  uint64_t full_reports = 0, delta_reports = 0, sweeps = 0, sightings = 0;
  uint64_t backpressure = 0;  // refusals waited out and sent again
  uint64_t errors = 0;        // reports the collector refused for good
  std::string first_error;
  double seconds = 0;
  // The order of events the collector saw (1, 2, …; 0: never): when each
  // device's full report was acknowledged, and when each round of a subnet's
  // SNMP scanner was sent. A port move seen by a sweep sent after the agent's
  // full report was acknowledged is drift; one seen before is the device's
  // first managed placement.
  std::vector<uint64_t> full_report_acked;             // by device
  std::vector<std::vector<uint64_t>> snmp_round_sent;  // by subnet, round
};

// Sends every report of `fleet`. A report refused for good (or a connection
// that cannot be made) counts as an error and the feed goes on; a Status only
// when nothing could be sent.
Result<FeedStats> FeedFleet(const TruthFleet& fleet, const FeedOptions& options);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_TRUTH_FEEDER_H_
