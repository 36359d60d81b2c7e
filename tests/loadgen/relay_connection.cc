#include "tests/loadgen/relay_connection.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <string>
#include <unordered_map>

#include "tests/loadgen/loadgen_connection.h"

namespace estate::loadgen {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using error_code = boost::system::error_code;

// Frames gathered into one write: a couple of full reports, or a window of deltas.
constexpr size_t kBatchBytes = 256 * 1024;
// The prime phase gives up on a connection after this many failed opens in a row.
constexpr uint32_t kMaxFailures = 10;

void RethrowIfAny(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

}  // namespace

struct RelayConnection::Session {
  Session(RunContext& run, size_t nodes)
      : conn(run.io, run.tls_context, run.tls), channel(nodes, -1) {}
  LoadgenConnection conn;
  bool broken = false;
  const char* failure = nullptr;  // counted once when the session is dropped
  bool expect_close = false;  // the collector refused a node: if it hangs up, no error of its own
  uint32_t window = 1;
  uint64_t next_request_id = 0;
  std::vector<int64_t> channel;  // by position; -1: no Hello on this connection yet
  std::deque<uint32_t> ready;    // positions with something to send, round robin
  std::unordered_map<uint64_t, Outstanding> outstanding;  // by request_id
  uint32_t reports_out = 0;
  std::string batch;  // frames not yet written
  std::vector<uint64_t> batch_ids;
};

RelayConnection::RelayConnection(RunContext& run, std::vector<uint32_t> nodes)
    : run_(run),
      nodes_(std::move(nodes)),
      refused_(nodes_.size(), false),
      settled_(nodes_.size(), false),
      wake_(run.io) {}

RelayConnection::~RelayConnection() = default;

void RelayConnection::Wake() { wake_.cancel(); }

bool RelayConnection::PhaseOver() const {
  return run_.priming ? unsettled_ == 0 : Clock::now() >= run_.phase_end;
}

void RelayConnection::FinishPhase() {
  in_phase_ = false;
  run_.Done();
}

bool RelayConnection::Eligible(uint32_t position) const {
  return !refused_[position] && !(run_.priming && settled_[position]);
}

void RelayConnection::Requeue(Session& s) {
  s.ready.clear();
  for (uint32_t p = 0; p < nodes_.size(); ++p) {
    if (Eligible(p)) s.ready.push_back(p);
  }
}

bool RelayConnection::NeedsEnroll(uint32_t position) const {
  return !run_.enroll_secret.empty() && run_.nodes[nodes_[position]].node_key.empty();
}

bool RelayConnection::CanSend(const Session& s) const {
  if (s.ready.empty()) return false;
  const uint32_t p = s.ready.front();
  if (NeedsEnroll(p) || s.channel[p] < 0) return true;
  return s.reports_out < s.window;
}

void RelayConnection::Settle(uint32_t position) {
  if (!settled_[position]) {
    settled_[position] = true;
    --unsettled_;
  }
}

void RelayConnection::Refuse(uint32_t position) {
  refused_[position] = true;
  Settle(position);
}

void RelayConnection::Break(Session& s, const char* failure) {
  if (s.broken) return;
  s.broken = true;
  // A connection that dies with nothing unanswered lost nothing (an idle
  // close between phases, or the collector hanging up after a refusal).
  s.failure = s.outstanding.empty() || s.expect_close ? nullptr : failure;
  s.conn.Close();
  Wake();
}

void RelayConnection::StartPhase() {
  in_phase_ = true;
  ++generation_;
  std::fill(settled_.begin(), settled_.end(), false);
  unsettled_ = static_cast<uint32_t>(nodes_.size());
  for (uint32_t p = 0; p < nodes_.size(); ++p) {
    if (refused_[p]) Settle(p);
  }
  if (session_) Requeue(*session_);
  Wake();
}

void RelayConnection::Stop() {
  stopping_ = true;
  if (session_) Break(*session_, nullptr);
  Wake();
}

awaitable<void> RelayConnection::Run() {
  uint32_t failures = 0;
  auto backoff = [&] {
    const auto base = std::chrono::milliseconds(100) * (1u << std::min(failures - 1, 4u));
    return run_.RetryDelay(static_cast<uint32_t>(base.count()));
  };
  auto wait = [this](Clock::time_point until) -> awaitable<void> {
    wake_.expires_at(until);
    error_code ignored;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  };
  while (!stopping_) {
    if (session_ && session_->broken) {
      if (session_->failure) run_.stats->AddError(session_->failure);
      session_.reset();
      if (in_phase_) {
        ++failures;
        co_await SleepFor(backoff());
      }
      continue;
    }
    if (!in_phase_) {
      co_await wait(Clock::time_point::max());
      continue;
    }
    if (PhaseOver() && (!session_ || (session_->outstanding.empty() && session_->batch.empty()))) {
      FinishPhase();
      continue;
    }
    if (!session_) {
      auto s = std::make_shared<Session>(run_, nodes_.size());
      ++generation_;
      const bool opened = co_await Open(s);
      if (stopping_) break;
      if (!opened) {
        if (s->failure) run_.stats->AddError(s->failure);
        ++failures;
        if (run_.priming && failures >= kMaxFailures) {
          for (uint32_t p = 0; p < nodes_.size(); ++p) Settle(p);  // the collector is gone
          continue;
        }
        co_await SleepFor(backoff());
        continue;
      }
      failures = 0;
      session_ = s;
      asio::co_spawn(run_.io, Receive(s), RethrowIfAny);
      asio::co_spawn(run_.io, Watch(s), RethrowIfAny);
    }
    co_await SendLoop(session_);
  }
  if (session_) {
    session_->conn.Close();
    session_.reset();
  }
}

awaitable<bool> RelayConnection::Exchange(Session& s, v1::Frame* answer) {
  s.conn.Arm(run_.timeout());
  run_.stats->bytes_sent += s.batch.size();
  bool ok = co_await s.conn.Write(s.batch);
  s.batch.clear();
  size_t wire = 0;
  if (ok) ok = co_await s.conn.ReadFrame(answer, &wire);
  s.conn.Disarm();
  if (!ok) {
    s.failure = s.conn.failure();
    co_return false;
  }
  run_.stats->bytes_received += wire;
  if (answer->request_id() != s.next_request_id) {
    s.failure = kUnexpected;
    co_return false;
  }
  co_return true;
}

awaitable<bool> RelayConnection::Open(std::shared_ptr<Session> s) {
  const auto started = Clock::now();
  if (!co_await s->conn.Connect(run_.endpoint, run_.options.collector.host, run_.timeout())) {
    s->failure = s->conn.failure();
    co_return false;
  }
  run_.stats->connections++;
  // The first node that may still speak opens the relay.
  const auto first_it = std::find(refused_.begin(), refused_.end(), false);
  if (first_it == refused_.end()) co_return false;
  const auto first = static_cast<uint32_t>(first_it - refused_.begin());
  NodeState& node = run_.nodes[nodes_[first]];
  v1::Frame answer;
  if (NeedsEnroll(first)) {
    run_.AppendEnroll(nodes_[first], ++s->next_request_id, &s->batch);
    if (!co_await Exchange(*s, &answer)) co_return false;
    if (!answer.has_enroll_ack()) {
      run_.stats->AddError(answer.has_error() ? v1::ErrorCode_Name(answer.error().code())
                                              : std::string(kUnexpected));
      Refuse(first);
      co_return false;
    }
    run_.stats->enrollments++;
    node.node_key = answer.enroll_ack().node_key();
  }
  run_.AppendHello(nodes_[first], ++s->next_request_id, /*multiplex=*/true, &s->batch);
  if (!co_await Exchange(*s, &answer)) co_return false;
  if (!answer.has_hello_ack()) {
    run_.stats->AddError(answer.has_error() ? v1::ErrorCode_Name(answer.error().code())
                                            : std::string(kUnexpected));
    Refuse(first);
    co_return false;
  }
  run_.stats->hello_ms.Add(MillisBetween(started, Clock::now()));
  const v1::HelloAck& ack = answer.hello_ack();
  s->channel[first] = ack.channel();
  node.stored = ack.last_sequence();
  // A collector that does not say how far it reads ahead gets one report at a time.
  s->window = std::max(1u, std::min(run_.options.window, ack.max_in_flight()));
  Requeue(*s);
  co_return true;
}

awaitable<void> RelayConnection::Flush(Session& s) {
  const auto now = Clock::now();
  for (uint64_t id : s.batch_ids) {
    if (auto it = s.outstanding.find(id); it != s.outstanding.end())
      it->second.report.sent_at = now;
  }
  s.batch_ids.clear();
  run_.stats->bytes_sent += s.batch.size();
  const bool ok = co_await s.conn.Write(s.batch);
  s.batch.clear();
  if (!ok) Break(s, s.conn.failure());
}

awaitable<void> RelayConnection::SendLoop(std::shared_ptr<Session> s) {
  uint32_t slots = 0;  // of the global rate, reserved for the next reports
  while (!s->broken && !stopping_) {
    const bool over = PhaseOver();
    if (over && s->outstanding.empty() && s->batch.empty()) co_return;
    if (!over && CanSend(*s)) {
      const uint32_t p = s->ready.front();
      const bool report = !NeedsEnroll(p) && s->channel[p] >= 0;
      if (report && slots == 0 && run_.options.rate > 0) {
        slots = run_.SlotsPerBurst(s->window);
        const auto slot = run_.ReserveSlot(slots);
        const auto now = Clock::now();
        if (slot > now) {
          if (!s->batch.empty()) co_await Flush(*s);
          co_await SleepFor(slot - now);
          continue;
        }
      }
      s->ready.pop_front();
      const uint64_t id = ++s->next_request_id;
      Outstanding& o = s->outstanding[id];
      o.position = p;
      const uint32_t node = nodes_[p];
      if (NeedsEnroll(p)) {
        o.what = Sent::kEnroll;
        run_.AppendEnroll(node, id, &s->batch);
      } else if (s->channel[p] < 0) {
        o.what = Sent::kHello;
        run_.AppendHello(node, id, /*multiplex=*/false, &s->batch);
      } else {
        o.what = Sent::kReport;
        run_.AppendReport(node, id, static_cast<uint32_t>(s->channel[p]), &s->batch, &o.report);
        ++s->reports_out;
        if (slots > 0) --slots;
      }
      s->batch_ids.push_back(id);
      if (s->batch.size() >= kBatchBytes) co_await Flush(*s);
      continue;
    }
    if (!s->batch.empty()) {
      co_await Flush(*s);
      continue;
    }
    // Woken by an answer, a retry coming due, the phase's end or Stop().
    wake_.expires_at(over || run_.priming ? Clock::time_point::max() : run_.phase_end);
    error_code ignored;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

awaitable<void> RelayConnection::Receive(std::shared_ptr<Session> s) {
  while (!s->broken) {
    v1::Frame answer;
    size_t wire = 0;
    if (!co_await s->conn.ReadFrame(&answer, &wire)) {
      Break(*s, s->conn.failure());
      break;
    }
    const auto now = Clock::now();
    run_.stats->bytes_received += wire;
    auto it = s->outstanding.find(answer.request_id());
    if (it == s->outstanding.end()) {
      run_.stats->AddError(kUnexpected);
      Break(*s, nullptr);
      break;
    }
    Outstanding o = std::move(it->second);
    s->outstanding.erase(it);
    const uint32_t p = o.position;
    NodeState& node = run_.nodes[nodes_[p]];
    auto refused = [&] {
      run_.stats->AddError(answer.has_error() ? v1::ErrorCode_Name(answer.error().code())
                                              : std::string(kUnexpected));
      Refuse(p);
      s->expect_close = true;
    };
    switch (o.what) {
      case Sent::kEnroll:
        if (!answer.has_enroll_ack()) {
          refused();
          break;
        }
        run_.stats->enrollments++;
        node.node_key = answer.enroll_ack().node_key();
        s->ready.push_front(p);
        break;
      case Sent::kHello:
        if (!answer.has_hello_ack()) {
          refused();
          break;
        }
        run_.stats->hello_ms.Add(MillisBetween(o.report.sent_at, now));
        s->channel[p] = answer.hello_ack().channel();
        node.stored = answer.hello_ack().last_sequence();
        s->ready.push_front(p);
        break;
      case Sent::kReport: {
        --s->reports_out;
        Clock::duration retry_after{};
        switch (run_.OnReportAnswer(o.report, answer, now, &retry_after)) {
          case ReportEnd::kAcked:
          case ReportEnd::kRejected:
            if (run_.priming) {
              Settle(p);
            } else {
              s->ready.push_back(p);
            }
            break;
          case ReportEnd::kRetry:
            asio::co_spawn(run_.io, RetryLater(s, generation_, p, retry_after), RethrowIfAny);
            break;
          case ReportEnd::kBroken:
            Break(*s, nullptr);  // already counted
            break;
        }
        break;
      }
    }
    Wake();
  }
}

awaitable<void> RelayConnection::RetryLater(std::shared_ptr<Session> s, uint64_t generation,
                                            uint32_t position, Clock::duration delay) {
  co_await SleepFor(delay);
  // Dropped when the session or phase it was refused in is over.
  if (s->broken || generation != generation_ || session_ != s || PhaseOver()) co_return;
  s->ready.push_back(position);
  Wake();
}

awaitable<void> RelayConnection::Watch(std::shared_ptr<Session> s) {
  const auto timeout = run_.timeout();
  const Clock::duration period =
      std::min<Clock::duration>(timeout / 4, std::chrono::milliseconds(250));
  while (!s->broken) {
    co_await SleepFor(period);
    if (s->broken) break;
    auto oldest = Clock::time_point::max();
    for (const auto& [id, o] : s->outstanding) oldest = std::min(oldest, o.report.sent_at);
    if (oldest != Clock::time_point::max() && Clock::now() - oldest > timeout) {
      s->conn.Close(/*timed_out=*/true);
      Break(*s, kTimeout);
    }
  }
}

}  // namespace estate::loadgen
