#include "tests/loadgen/run_context.h"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "estate/framing.h"

namespace estate::loadgen {
namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

constexpr char kSoftwareVersion[] = "estate-loadgen/2";

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

asio::awaitable<void> SleepFor(Clock::duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(d);
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

double MillisBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

RunContext::RunContext(const LoadgenOptions& o, const SimulatedFleet& f)
    : options(o), fleet(f), encoder(f), phase_signal(io), jitter(o.seed) {}

void RunContext::Done() {
  if (--active == 0) {
    finished = Clock::now();
    phase_signal.cancel();
  }
}

Clock::time_point RunContext::ReserveSlot(uint32_t count) {
  const auto now = Clock::now();
  if (options.rate <= 0 || priming) return now;
  if (next_slot < now) next_slot = now;  // idle time earns no burst
  const auto slot = next_slot;
  next_slot += std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(count / options.rate));
  return slot;
}

uint32_t RunContext::SlotsPerBurst(uint32_t most) const {
  if (options.rate <= 0) return 1;
  const double in_quantum = options.rate * std::chrono::duration<double>(kPaceQuantum).count();
  return std::clamp<uint32_t>(static_cast<uint32_t>(in_quantum), 1, std::max(1u, most));
}

Clock::duration RunContext::RetryDelay(uint32_t retry_after_ms) {
  const uint32_t after = retry_after_ms ? retry_after_ms : 100;
  std::uniform_real_distribution<double> spread(0.5, 1.5);
  return std::chrono::microseconds(static_cast<int64_t>(after * 1000 * spread(jitter)));
}

void RunContext::AppendReport(uint32_t node, uint64_t request_id, uint32_t channel,
                              std::string* out, PendingReport* pending) {
  const NodeState& ns = nodes[node];
  pending->node = node;
  pending->next = ns;
  NodeState& next = pending->next;
  const size_t before = out->size();
  const uint64_t seq = std::max(ns.stored, ns.acked) + 1;
  const int64_t now = UnixNow();
  const bool want_delta = options.mode == Mode::kDelta && !priming;
  if (observations() || (want_delta && ns.collector_has_facts && ns.stored == ns.acked)) {
    scratch_.Clear();
    scratch_.set_request_id(request_id);
    scratch_.set_channel(channel);
    if (observations()) {
      auto* report = scratch_.mutable_observations();
      report->set_sequence(seq);
      fleet.BuildObservations(fleet.ScannerSubnet(node, ns.rounds), now, options.fdb, report);
      pending->sightings = static_cast<uint64_t>(report->observations_size());
      next.acked = seq;
      next.rounds = ns.rounds + 1;
    } else {
      // The collector holds exactly the facts this delta is based on.
      auto* delta = scratch_.mutable_delta_report();
      fleet.AdvanceRevision(node, &next.agent, delta);
      delta->set_sequence(ns.stored + 1);
      delta->set_base_sequence(ns.stored);
      delta->set_collected_at(now);
      next.acked = ns.stored + 1;
    }
    pending->kind = scratch_.body_case();
    AppendFrame(scratch_, out);
  } else {
    pending->fallback = want_delta;
    encoder.AppendFullReportFrame(request_id, channel, seq, now, node, ns.agent, out);
    pending->kind = v1::Frame::kFullReport;
    next.acked = seq;
    next.collector_has_facts = true;
  }
  next.stored = next.acked;
  pending->bytes = out->size() - before;
}

void RunContext::AppendEnroll(uint32_t node, uint64_t request_id, std::string* out) {
  scratch_.Clear();
  scratch_.set_request_id(request_id);
  auto* enroll = scratch_.mutable_enroll();
  enroll->set_enroll_secret(enroll_secret);
  enroll->set_kind(observations() ? v1::PEER_KIND_SCANNER : v1::PEER_KIND_AGENT);
  enroll->set_node_id(observations() ? fleet.ScannerNodeId(node) : fleet.AgentNodeId(node));
  enroll->set_hostname(observations() ? fleet.ScannerHostname(node) : fleet.AgentHostname(node));
  AppendFrame(scratch_, out);
}

void RunContext::AppendHello(uint32_t node, uint64_t request_id, bool multiplex, std::string* out) {
  scratch_.Clear();
  scratch_.set_request_id(request_id);
  auto* hello = scratch_.mutable_hello();
  hello->set_protocol_version(kProtocolVersion);
  hello->set_min_protocol_version(kMinProtocolVersion);
  hello->set_kind(observations() ? v1::PEER_KIND_SCANNER : v1::PEER_KIND_AGENT);
  hello->set_node_id(observations() ? fleet.ScannerNodeId(node) : fleet.AgentNodeId(node));
  hello->set_hostname(observations() ? fleet.ScannerHostname(node) : fleet.AgentHostname(node));
  hello->set_software_version(kSoftwareVersion);
  hello->set_node_key(nodes[node].node_key);
  hello->set_multiplex(multiplex);
  AppendFrame(scratch_, out);
}

ReportEnd RunContext::OnReportAnswer(PendingReport& pending, const v1::Frame& answer,
                                     Clock::time_point now, Clock::duration* retry_after) {
  if (answer.has_ack()) {
    const double ms = MillisBetween(pending.sent_at, now);
    stats->ack_ms.Add(ms);
    interval_ms.Add(ms);
    stats->report_bytes += pending.bytes;
    stats->reports++;
    if (pending.fallback) stats->full_fallbacks++;
    switch (pending.kind) {
      case v1::Frame::kFullReport:
        stats->full_reports++;
        break;
      case v1::Frame::kDeltaReport:
        stats->delta_reports++;
        break;
      case v1::Frame::kObservations:
        stats->observation_reports++;
        stats->observations += pending.sightings;
        break;
      default:
        break;
    }
    nodes[pending.node] = std::move(pending.next);
    return ReportEnd::kAcked;
  }
  if (!answer.has_error()) {
    stats->AddError(kUnexpected);
    return ReportEnd::kBroken;
  }
  const v1::ErrorCode code = answer.error().code();
  stats->AddError(v1::ErrorCode_Name(code));
  if (code == v1::ERROR_CODE_UNAVAILABLE || code == v1::ERROR_CODE_RATE_LIMITED) {
    *retry_after = RetryDelay(answer.error().retry_after_ms());
    return ReportEnd::kRetry;
  }
  if (code == v1::ERROR_CODE_FULL_REPORT_REQUIRED) nodes[pending.node].collector_has_facts = false;
  return ReportEnd::kRejected;
}

}  // namespace estate::loadgen
