#include "tests/loadgen/cycle_worker.h"

#include <string>

#include "tests/loadgen/loadgen_connection.h"

namespace estate::loadgen {
namespace {

using boost::asio::awaitable;

// Writes `out` (one frame), clears it and reads the answer, within the timeout.
awaitable<bool> Exchange(RunContext& run, LoadgenConnection& connection, std::string& out,
                         uint64_t request_id, v1::Frame* answer) {
  connection.Arm(run.timeout());
  run.stats->bytes_sent += out.size();
  bool ok = co_await connection.Write(out);
  out.clear();
  size_t wire = 0;
  if (ok) ok = co_await connection.ReadFrame(answer, &wire);
  connection.Disarm();
  if (!ok) {
    run.stats->AddError(connection.failure());
    co_return false;
  }
  run.stats->bytes_received += wire;
  if (answer->request_id() != request_id) {
    run.stats->AddError(kUnexpected);
    co_return false;
  }
  co_return true;
}

void AddAnswerError(RunContext& run, const v1::Frame& answer) {
  run.stats->AddError(answer.has_error() ? v1::ErrorCode_Name(answer.error().code())
                                         : std::string(kUnexpected));
}

// One connection: Hello as `node`, its report(s), close.
awaitable<void> Cycle(RunContext& run, uint32_t node) {
  if (const auto slot = run.ReserveSlot(); slot > Clock::now()) {
    co_await SleepFor(slot - Clock::now());
  }
  LoadgenConnection connection(run.io, run.tls_context, run.tls);
  const auto started = Clock::now();
  if (!co_await connection.Connect(run.endpoint, run.options.collector.host, run.timeout())) {
    run.stats->AddError(connection.failure());
    co_await SleepFor(std::chrono::milliseconds(100));  // collector down or overloaded
    co_return;
  }
  run.stats->connections++;
  NodeState& ns = run.nodes[node];
  uint64_t request_id = 0;
  std::string out;
  v1::Frame answer;
  // Each simulated node enrolls once, as a real one does, then uses its key.
  if (!run.enroll_secret.empty() && ns.node_key.empty()) {
    run.AppendEnroll(node, ++request_id, &out);
    if (!co_await Exchange(run, connection, out, request_id, &answer)) co_return;
    if (!answer.has_enroll_ack()) {
      AddAnswerError(run, answer);
      co_return;
    }
    run.stats->enrollments++;
    ns.node_key = answer.enroll_ack().node_key();
  }
  run.AppendHello(node, ++request_id, /*multiplex=*/false, &out);
  if (!co_await Exchange(run, connection, out, request_id, &answer)) co_return;
  if (!answer.has_hello_ack()) {
    AddAnswerError(run, answer);
    co_return;
  }
  run.stats->hello_ms.Add(MillisBetween(started, Clock::now()));
  ns.stored = answer.hello_ack().last_sequence();

  // The prime phase gives each agent exactly one full report.
  const uint32_t reports = run.priming ? 1 : run.options.reports_per_connection;
  for (uint32_t k = 0; k < reports; ++k) {
    if (k > 0) {
      if (Clock::now() >= run.phase_end) break;
      if (const auto slot = run.ReserveSlot(); slot > Clock::now()) {
        co_await SleepFor(slot - Clock::now());
      }
    }
    for (;;) {
      PendingReport pending;
      run.AppendReport(node, ++request_id, 0, &out, &pending);
      pending.sent_at = Clock::now();
      if (!co_await Exchange(run, connection, out, request_id, &answer)) co_return;
      Clock::duration retry_after{};
      const ReportEnd end = run.OnReportAnswer(pending, answer, Clock::now(), &retry_after);
      if (end == ReportEnd::kAcked) break;
      if (end != ReportEnd::kRetry || Clock::now() >= run.phase_end + run.timeout()) co_return;
      co_await SleepFor(retry_after);
    }
  }
}

}  // namespace

awaitable<void> RunCycleWorker(RunContext& run, std::deque<uint32_t>& ready) {
  while (Clock::now() < run.phase_end && !ready.empty()) {
    const uint32_t node = ready.front();
    ready.pop_front();
    co_await Cycle(run, node);
    // The prime phase visits each agent once; the measured phase goes round.
    if (!run.priming) ready.push_back(node);
  }
  run.Done();
}

}  // namespace estate::loadgen
