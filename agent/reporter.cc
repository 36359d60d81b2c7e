#include "agent/reporter.h"

#include "estate/collector_client.h"
#include "estate/facts_delta.h"
#include "estate/proto_json.h"

namespace estate::agent {

namespace {

// Errors after which the collector closes the connection (frame.proto).
bool ClosesTheConnection(v1::ErrorCode code) {
  return code == v1::ERROR_CODE_BAD_FRAME || code == v1::ERROR_CODE_UNSUPPORTED_VERSION ||
         code == v1::ERROR_CODE_UNKNOWN_MESSAGE || code == v1::ERROR_CODE_PROTOCOL;
}

}  // namespace

Reporter::Reporter(ReporterOptions options, AgentState* state, Spool* spool,
                   std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)), state_(state), spool_(spool), logger_(std::move(logger)) {}

Status Reporter::Enqueue(const v1::HostFacts& facts, int64_t now_seconds, uint64_t now_ms) {
  auto sequence = state_->NextSequence(now_ms);
  if (!sequence.ok()) return sequence.status();
  v1::Frame frame;
  if (state_->reported()) {
    auto* delta = frame.mutable_delta_report();
    ComputeDelta(state_->reported()->facts(), facts, delta);
    delta->set_sequence(*sequence);
    delta->set_base_sequence(state_->reported()->sequence());
    delta->set_collected_at(now_seconds);
  } else {
    auto* full = frame.mutable_full_report();
    full->set_sequence(*sequence);
    full->set_collected_at(now_seconds);
    *full->mutable_facts() = facts;
  }
  ESTATE_RETURN_IF_ERROR(spool_->Append(frame));
  v1::FullReport reported;
  reported.set_sequence(*sequence);
  reported.set_collected_at(now_seconds);
  *reported.mutable_facts() = facts;
  return state_->SetReported(reported);
}

Status Reporter::ResetToFullReport(uint64_t now_ms) {
  if (!state_->reported()) return spool_->Clear();
  auto sequence = state_->NextSequence(now_ms);
  if (!sequence.ok()) return sequence.status();
  v1::Frame frame;
  *frame.mutable_full_report() = *state_->reported();
  frame.mutable_full_report()->set_sequence(*sequence);
  ESTATE_RETURN_IF_ERROR(spool_->Replace(frame));
  return state_->SetReported(frame.full_report());
}

Status Reporter::Drain(uint64_t now_ms) {
  // A refused report that cost the connection costs a reconnect, not a retry
  // period for the reports behind it. Each such refusal drops a report, so
  // this many reconnects are enough to get past every one of them.
  size_t reconnects_left = spool_->size() + 1;
  for (;;) {
    if (spool_->empty()) return Status::Ok();
    bool reconnect = false;
    uint64_t acked = 0;
    Status st = DrainOnce(now_ms, &reconnect, &acked);
    // Written once per connection, not per ack (it costs fsyncs): `acked`
    // only tells a collector that lost acknowledged reports, and one a crash
    // left behind merely misses that diagnosis once.
    if (acked > state_->acked_sequence()) {
      if (Status saved = state_->SetAcked(acked); !saved.ok() && st.ok()) st = saved;
    }
    if (!reconnect || reconnects_left == 0) return st;
    --reconnects_left;
  }
}

Status Reporter::DrainOnce(uint64_t now_ms, bool* reconnect, uint64_t* acked) {
  CollectorClientOptions client_options;
  client_options.collector = options_.collector;
  client_options.kind = v1::PEER_KIND_AGENT;
  client_options.node_id = state_->node_id();
  client_options.software_version = options_.software_version;
  client_options.timeout = options_.timeout;
  client_options.tls = options_.tls;
  client_options.node_key = state_->node_key();
  client_options.enroll_secret = options_.enroll_secret;
  client_options.save_node_key = [this](const std::string& key) { return state_->SetNodeKey(key); };
  if (state_->reported()) client_options.hostname = state_->reported()->facts().hostname();
  CollectorClient client(client_options);
  if (Status st = client.Connect(); !st.ok()) {
    if (st.code() == Status::Code::kPermissionDenied ||
        st.code() == Status::Code::kFailedPrecondition) {
      // Not a network blip: an administrator has to act (revoked node, wrong
      // secret or CA). Say so plainly; the spool is kept for when they have.
      logger_->error("collector {} refuses this node ({}), {} reports spooled: {}",
                     options_.collector.ToString(), state_->node_id(), spool_->size(),
                     st.message());
      return Status::Unavailable(st.message());
    }
    if (client.refusal_code() == v1::ERROR_CODE_UNAVAILABLE) {
      // The collector answered: it is at its connection cap. Back off.
      logger_->warn("collector {} busy, {} reports spooled; retrying later: {}",
                    options_.collector.ToString(), spool_->size(), st.message());
      return Status::Unavailable(st.message());
    }
    logger_->warn("collector not reachable, {} reports spooled: {}", spool_->size(), st.ToString());
    return Status::Unavailable(st.message());
  }
  uint64_t stored = client.hello_ack().last_sequence();
  if (stored < state_->acked_sequence()) {
    // Legitimate only after the collector was restored from a backup; the
    // spool below resends the latest facts as a full report either way.
    logger_->error(
        "collector holds sequence {} but acknowledged {}: it lost acknowledged reports "
        "(restored from a backup?)",
        stored, state_->acked_sequence());
  }
  bool reset_done = false;
  while (!spool_->empty()) {
    const v1::Frame frame = spool_->Front();
    const uint64_t sequence = ReportSequence(frame);
    if (sequence != 0 && sequence <= stored) {
      logger_->info("report {} already stored by the collector; dropping it", sequence);
      ESTATE_RETURN_IF_ERROR(spool_->PopFront());
      continue;
    }
    if (frame.has_delta_report() && frame.delta_report().base_sequence() != stored) {
      logger_->info("collector holds sequence {}, delta {} is based on {}: sending a full report",
                    stored, sequence, frame.delta_report().base_sequence());
      ESTATE_RETURN_IF_ERROR(ResetToFullReport(now_ms));
      continue;
    }
    auto answer = client.Call(frame);
    if (!answer.ok()) {
      logger_->warn("sending report {} failed, {} reports spooled: {}", sequence, spool_->size(),
                    answer.status().ToString());
      return Status::Unavailable(answer.status().message());
    }
    if (answer->has_ack()) {
      ESTATE_RETURN_IF_ERROR(spool_->PopFront());
      stored = sequence;
      *acked = sequence;
      logger_->info("report {} ({}) acknowledged, asset {}", sequence,
                    frame.has_full_report() ? "full" : "delta", answer->ack().asset_id());
      continue;
    }
    const v1::Error error = answer->has_error() ? answer->error() : v1::Error();
    const std::string code = ShortEnumName("ErrorCode", v1::ErrorCode_Name(error.code()));
    switch (error.code()) {
      case v1::ERROR_CODE_FULL_REPORT_REQUIRED:
        if (frame.has_full_report() || reset_done) {
          logger_->error("collector asks for a full report in answer to one; dropping report {}",
                         sequence);
          return spool_->PopFront();
        }
        reset_done = true;
        ESTATE_RETURN_IF_ERROR(ResetToFullReport(now_ms));
        continue;
      case v1::ERROR_CODE_UNAVAILABLE:
      case v1::ERROR_CODE_RATE_LIMITED:
        logger_->warn("collector cannot take report {} now ({}: {}); retrying later", sequence,
                      code, error.message());
        return Status::Unavailable(error.message());
      default:
        // Refused for what it holds (INVALID_REPORT, or BAD_FRAME from a
        // collector that could not parse it): sending it again would be
        // refused again and hold back every report behind it. Dropped; the
        // next report goes out in full (its delta base is gone), so the
        // collector's record is whole again.
        logger_->error("collector refused report {} ({}: {}); dropped it", sequence, code,
                       error.message());
        ESTATE_RETURN_IF_ERROR(spool_->PopFront());
        if (ClosesTheConnection(error.code()) || !client.connected()) {
          client.Close();
          *reconnect = true;
          return Status::Unavailable("collector closed the connection");
        }
        continue;
    }
  }
  return Status::Ok();
}

}  // namespace estate::agent
