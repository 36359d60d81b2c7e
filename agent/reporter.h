// Reporter: turns inventories into reports and delivers them in order.
//
// Enqueue() puts a report of the current facts in the spool: a DeltaReport
// against the last queued report when there is one, else a FullReport. Drain()
// connects to the collector and sends the spool oldest first, removing each
// report once acknowledged. The protocol rules (frame.proto) decide the rest:
// - a spooled report whose sequence the collector already holds (HelloAck
//   last_sequence) was delivered before a crash: it is dropped unsent;
// - a delta whose base is not what the collector holds, or an answer
//   FULL_REPORT_REQUIRED, replaces the whole spool by one full report of the
//   latest facts;
// - UNAVAILABLE, RATE_LIMITED and transport failures keep the spool for the
//   next Drain(); any other error (INVALID_REPORT, BAD_FRAME...) refuses that
//   report for what it holds: it is dropped (logged once), the next delta
//   falls back to a full report, and when the collector closed the connection
//   with the refusal, Drain() reconnects at once for the reports behind it.
// Not thread-safe: one owner.
#ifndef ESTATE_AGENT_REPORTER_H_
#define ESTATE_AGENT_REPORTER_H_

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "agent/agent_state.h"
#include "agent/spool.h"
#include "estate/endpoint.h"
#include "estate/status.h"
#include "estate/tls_client.h"
#include "estate/v1/facts.pb.h"

namespace estate::agent {

struct ReporterOptions {
  Endpoint collector;
  TlsClientOptions tls;
  // Presented once when the state holds no node key yet (never logged).
  std::string enroll_secret;
  std::chrono::milliseconds timeout{15000};
  std::string software_version;
};

class Reporter {
 public:
  Reporter(ReporterOptions options, AgentState* state, Spool* spool,
           std::shared_ptr<spdlog::logger> logger);

  Status Enqueue(const v1::HostFacts& facts, int64_t now_seconds, uint64_t now_ms);
  // OK when the spool is empty afterwards; Unavailable while reports remain.
  Status Drain(uint64_t now_ms);

 private:
  // One connection's worth of Drain(); `reconnect` is set when the collector
  // closed it after refusing a report, with reports left to send; `acked`
  // receives the highest sequence acknowledged on it.
  Status DrainOnce(uint64_t now_ms, bool* reconnect, uint64_t* acked);
  // Replaces the spool by one full report of the last reported facts.
  Status ResetToFullReport(uint64_t now_ms);

  ReporterOptions options_;
  AgentState* state_;
  Spool* spool_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_REPORTER_H_
