// RunContext: what every connection of one estate-loadgen run shares — the
// fleet and what this run knows of each node, the collector's address and TLS
// settings, the global report pacing, the phase, and the statistics — and the
// protocol's frames built from it (reports, Enroll, Hello) and the accounting
// of their answers. RelayConnection and CycleWorker do the I/O around it.
//
// Everything runs on the run's one io thread: not thread-safe.
#ifndef ESTATE_TESTS_LOADGEN_RUN_CONTEXT_H_
#define ESTATE_TESTS_LOADGEN_RUN_CONTEXT_H_

// <utility> must precede Asio's coroutine headers with Boost 1.74 + GCC 12.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "estate/tls_client.h"
#include "estate/v1/frame.pb.h"
#include "tests/loadgen/loadgen_options.h"
#include "tests/loadgen/report_encoder.h"
#include "tests/loadgen/run_stats.h"
#include "tests/loadgen/simulated_fleet.h"

namespace estate::loadgen {

using Clock = std::chrono::steady_clock;

// What the collector holds for one simulated node, as far as this run knows.
struct NodeState {
  AgentState agent;
  std::string node_key;              // issued at this run's enrollment of the node
  uint64_t stored = 0;               // the collector's last stored sequence (HelloAck, acks)
  uint64_t acked = 0;                // highest sequence acknowledged to us
  bool collector_has_facts = false;  // it holds `agent`'s facts as of `acked`
  uint64_t rounds = 0;               // scanner: sweeps reported
};

// A report written and not yet answered: what its Ack makes of the node.
struct PendingReport {
  uint32_t node = 0;
  v1::Frame::BodyCase kind = v1::Frame::BODY_NOT_SET;
  NodeState next;          // the node once acknowledged
  size_t bytes = 0;        // frame with header
  uint64_t sightings = 0;  // observation reports
  bool fallback = false;   // a full report where a delta was wanted
  Clock::time_point sent_at = Clock::time_point::max();
};

// How an answer to a report ends it.
enum class ReportEnd { kAcked, kRetry, kRejected, kBroken };

struct RunContext {
  RunContext(const LoadgenOptions& options, const SimulatedFleet& fleet);

  const LoadgenOptions& options;
  const SimulatedFleet& fleet;
  boost::asio::io_context io;
  boost::asio::ip::tcp::endpoint endpoint;
  boost::asio::ssl::context tls_context{boost::asio::ssl::context::tls_client};
  TlsClientOptions tls;
  std::string enroll_secret;
  std::vector<NodeState> nodes;
  ReportEncoder encoder;

  RunStats* stats = nullptr;
  LatencySamples interval_ms;  // ack latency since the last progress line
  bool priming = false;        // delta mode's first phase: one full report per node
  Clock::time_point phase_end;
  uint64_t phase_id = 0;       // which phase is running (progress lines stop with theirs)
  int active = 0;              // connections or workers still in the phase
  Clock::time_point finished;  // when the last of them was done
  boost::asio::steady_timer phase_signal;  // cancelled when `active` drops to 0
  Clock::time_point next_slot;             // of the global --rate
  std::mt19937_64 jitter;

  bool observations() const { return options.mode == Mode::kObservations; }
  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  }
  // One connection or worker is done with the phase.
  void Done();

  // Takes the next `count` slots of the global report rate and says when
  // the first starts (now when unpaced or priming).
  Clock::time_point ReserveSlot(uint32_t count = 1);
  // How many slots a relay connection takes at once, sending their reports in
  // one write: those of one kPaceQuantum of the rate, 1 to `most`. One write
  // per report would measure the load generator's and the collector's
  // syscalls rather than their work, as no relay of many agents sends.
  uint32_t SlotsPerBurst(uint32_t most) const;
  static constexpr std::chrono::milliseconds kPaceQuantum{2};
  // Backpressure's wait: `retry_after_ms` (100 when unset) ±50 %, so that
  // refused nodes do not all come back at once.
  Clock::duration RetryDelay(uint32_t retry_after_ms);

  // Appends node `node`'s next report as one frame: a delta when the collector
  // holds the facts it is based on (delta mode), else a full report, or a
  // sweep for a scanner.
  void AppendReport(uint32_t node, uint64_t request_id, uint32_t channel, std::string* out,
                    PendingReport* pending);
  void AppendEnroll(uint32_t node, uint64_t request_id, std::string* out);
  void AppendHello(uint32_t node, uint64_t request_id, bool multiplex, std::string* out);

  // Accounts the answer to `pending` (read at `now`): an Ack moves the node on;
  // backpressure (UNAVAILABLE, RATE_LIMITED) sets `*retry_after`; any other
  // Error rejects the report; anything else breaks the connection.
  ReportEnd OnReportAnswer(PendingReport& pending, const v1::Frame& answer, Clock::time_point now,
                           Clock::duration* retry_after);

 private:
  v1::Frame scratch_;  // frames built through protobuf (deltas, sweeps, Hello)
};

boost::asio::awaitable<void> SleepFor(Clock::duration d);
double MillisBetween(Clock::time_point from, Clock::time_point to);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_RUN_CONTEXT_H_
