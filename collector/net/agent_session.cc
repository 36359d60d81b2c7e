#include "collector/net/agent_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "collector/reconcile/peer_kinds.h"
#include "estate/proto_utf8.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr size_t kMaxNodeIdBytes = 256;
// Reads of an untrusted connection: a Hello or Enroll fits, and 20,000 idle
// connections hold 20 MiB.
constexpr size_t kUntrustedReadChunk = 1024;
// How long a peer refused as busy is asked to wait before trying again.
constexpr uint32_t kBusyRetryAfterMs = 30000;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t SequenceOf(const v1::Frame& frame) {
  if (frame.has_full_report()) return frame.full_report().sequence();
  if (frame.has_delta_report()) return frame.delta_report().sequence();
  if (frame.has_observations()) return frame.observations().sequence();
  return 0;
}

// What a failed server handshake most likely means, for the log.
std::string HandshakeFailure(const error_code& ec) {
  if (ec.category() == asio::error::get_ssl_category()) {
    const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_HTTP_REQUEST ||
        reason == SSL_R_UNSUPPORTED_PROTOCOL || reason == SSL_R_PACKET_LENGTH_TOO_LONG) {
      return "not a TLS client (a plaintext agent? it needs ca_file or collector_fingerprint), "
             "or a TLS version below 1.2";
    }
  }
  return ec.message();
}

}  // namespace

AgentSession::AgentSession(tcp::socket socket, SessionContext& context, BusyReason busy,
                           ByteCharge tls_state)
    : socket_(std::move(socket)),
      context_(context),
      tls_(context.tls != nullptr),
      busy_(busy),
      tls_state_(std::move(tls_state)),
      watchdog_(socket_.get_executor()),
      reader_(std::min(kMaxUntrustedFrameBytes, context.options.max_frame_bytes),
              kUntrustedReadChunk, context.untrusted_bytes),
      window_(socket_.get_executor()),
      outbox_signal_(socket_.get_executor()) {
  if (tls_) tls_socket_ = std::make_unique<TlsSocket>(socket_, context.tls->native_handle());
  error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  address_ = ec ? "unknown" : endpoint.address().to_string();
  remote_ = ec ? "unknown" : address_ + ":" + std::to_string(endpoint.port());
}

awaitable<void> AgentSession::Run() {
  auto self = shared_from_this();
  std::atomic<int64_t>& active = busy_ != BusyReason::kNone ? context_.counters.busy_refusals_active
                                                            : context_.counters.connections_active;
  active++;
  if (tls_) {
    SetDeadline(Phase::kHandshake, context_.options.handshake_timeout);
  } else {
    SetDeadline(Phase::kHello, context_.options.hello_timeout);
  }
  asio::co_spawn(
      socket_.get_executor(), [self]() { return self->Watchdog(); }, asio::detached);
  try {
    if (!tls_ || co_await Handshake()) {
      asio::co_spawn(
          socket_.get_executor(), [self]() { return self->Writer(); }, asio::detached);
      co_await Serve();
      co_await Flush();  // the last answers (an Error saying why we close) go out first
    }
  } catch (const std::exception& e) {
    context_.logger->warn("{}: session ended by an internal error: {}", remote_, e.what());
  }
  Close();
  for (const auto& channel : channels_) {
    if (channel.attach_token != 0)
      context_.nodes->Detach(channel.peer.node_id, channel.attach_token);
  }
  active--;
}

void AgentSession::SetDeadline(Phase phase, std::chrono::milliseconds from_now) {
  phase_ = phase;
  deadline_ = std::chrono::steady_clock::now() + from_now;
}

void AgentSession::RefreshIdleDeadline() {
  // Reports being stored are not idleness: no deadline until they are answered.
  SetDeadline(Phase::kIdle,
              in_flight_ > 0 ? std::chrono::hours(24 * 365) : context_.options.idle_timeout);
}

void AgentSession::Close() {
  closing_ = true;
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  watchdog_.cancel();
  window_.cancel();
  outbox_signal_.cancel();
}

void AgentSession::LogRefusal(const std::string& reason, const std::string& message) {
  if (context_.refusals == nullptr || context_.refusals->ShouldLog(reason, address_)) {
    context_.logger->warn("{}: {}", remote_, message);
  }
}

awaitable<void> AgentSession::Watchdog() {
  auto self = shared_from_this();
  while (open()) {
    watchdog_.expires_at(deadline_);
    error_code ec;
    co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
    if (!open()) break;
    if (deadline_ <= std::chrono::steady_clock::now()) {
      switch (phase_) {
        case Phase::kHandshake:
          context_.counters.handshake_timeouts++;
          LogRefusal("handshake-timeout",
                     "dropped: TLS handshake not finished within " +
                         std::to_string(context_.options.handshake_timeout.count()) + " ms");
          break;
        case Phase::kHello:
          context_.counters.timeouts++;
          LogRefusal("hello-timeout", "closing idle connection (no hello in time)");
          break;
        case Phase::kIdle:
          context_.counters.timeouts++;
          context_.logger->info("{}: closing idle connection (no report within the idle timeout)",
                                remote_);
          break;
      }
      Close();
    }
  }
}

awaitable<bool> AgentSession::Handshake() {
  const error_code ec = co_await tls_socket_->Handshake();
  if (!ec) {
    tls_state_.ShrinkTo(std::min(tls_state_.bytes(), kTlsSessionStateBytes));
    SetDeadline(Phase::kHello, context_.options.hello_timeout);
    co_return true;
  }
  // Closed by the watchdog: already counted as a handshake timeout.
  if (!open()) co_return false;
  context_.counters.tls_failures++;
  LogRefusal("tls", "TLS handshake failed: " + HandshakeFailure(ec));
  co_return false;
}

bool AgentSession::Send(const v1::Frame& frame) {
  if (closing_) return false;
  auto bytes = EncodeFrame(frame, kDefaultMaxFrameBytes);
  if (!bytes.ok()) return false;
  outbox_.push_back(std::move(*bytes));
  outbox_signal_.cancel();  // wakes the writer
  return true;
}

void AgentSession::SendError(uint64_t request_id, v1::ErrorCode code, const std::string& message,
                             uint32_t channel) {
  v1::Frame answer;
  answer.set_request_id(request_id);
  answer.set_channel(channel);
  answer.mutable_error()->set_code(code);
  answer.mutable_error()->set_message(message);
  Send(answer);
}

awaitable<void> AgentSession::Writer() {
  auto self = shared_from_this();
  std::vector<std::string> writing;
  std::vector<asio::const_buffer> buffers;
  while (open()) {
    if (outbox_.empty()) {
      outbox_signal_.expires_at(std::chrono::steady_clock::time_point::max());
      error_code ignored;
      co_await outbox_signal_.async_wait(asio::redirect_error(use_awaitable, ignored));
      continue;
    }
    // Everything queued goes out in one write.
    writing.clear();
    buffers.clear();
    while (!outbox_.empty()) {
      writing.push_back(std::move(outbox_.front()));
      outbox_.pop_front();
    }
    for (const auto& bytes : writing) buffers.emplace_back(asio::buffer(bytes));
    writing_ = true;
    error_code ec;
    if (tls_) {
      ec = co_await tls_socket_->WriteAll(buffers);
    } else {
      co_await asio::async_write(socket_, buffers, asio::redirect_error(use_awaitable, ec));
    }
    writing_ = false;
    window_.cancel();  // Flush() waits on it too
    if (ec) {
      Close();
      break;
    }
  }
  writing_ = false;
  window_.cancel();
}

awaitable<void> AgentSession::Flush() {
  while (open() && (!outbox_.empty() || writing_ || in_flight_ > 0)) {
    window_.expires_at(std::chrono::steady_clock::time_point::max());
    error_code ignored;
    co_await window_.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
}

awaitable<void> AgentSession::WaitForWindow() {
  while (open() && in_flight_ > 0 &&
         (in_flight_ >= context_.options.max_in_flight ||
          in_flight_bytes_ >= context_.options.max_in_flight_bytes)) {
    window_.expires_at(std::chrono::steady_clock::time_point::max());
    error_code ignored;
    co_await window_.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
}

awaitable<void> AgentSession::Serve() {
  for (;;) {
    // Not a ?: of two co_awaits: GCC 12 destroys such a temporary twice.
    FrameReader::Frame read;
    if (tls_) {
      read = co_await reader_.Next(*tls_socket_);
    } else {
      read = co_await reader_.Next(socket_);
    }
    if (read.failure == ReadFailure::kClosed) co_return;
    if (read.failure == ReadFailure::kTruncated) {
      if (open()) {
        context_.counters.bad_frames++;
        context_.logger->warn("{}: connection closed in the middle of a frame", remote_);
      }
      co_return;
    }
    if (read.failure == ReadFailure::kBadHeader) {
      // Before its hello a peer gets the small limit: say so, it is not the
      // max_frame_bytes an administrator set.
      if (channels_.empty()) read.detail += " (before hello)";
      context_.counters.bad_frames++;
      LogRefusal("bad-frame", "refused frame: " + read.detail);
      SendError(0, v1::ERROR_CODE_BAD_FRAME, read.detail);
      co_return;
    }
    if (read.failure == ReadFailure::kOverBudget) {
      context_.counters.unauthenticated_over_budget++;
      LogRefusal("unauthenticated-budget",
                 "refused: " + read.detail + " (max_unauthenticated_mb reached)");
      v1::Frame answer;
      answer.mutable_error()->set_code(v1::ERROR_CODE_UNAVAILABLE);
      answer.mutable_error()->set_message(
          "collector busy: too many connections waiting to say hello");
      answer.mutable_error()->set_retry_after_ms(kBusyRetryAfterMs);
      Send(answer);
      co_return;
    }
    context_.counters.frames_received++;
    context_.counters.bytes_received += read.payload.size() + kFrameHeaderBytes;

    if (RefusedAsBusy(read.payload)) {
      if (phase_ == Phase::kIdle) RefreshIdleDeadline();
      continue;
    }
    ArenaFrame parsed = ArenaFrame::ForPayload(read.payload.size());
    v1::Frame& frame = *parsed;
    if (Status st = DecodeFramePayload(read.payload, &frame); !st.ok()) {
      context_.counters.bad_frames++;
      if (RefusedAsInvalid(read.payload)) continue;
      LogRefusal("bad-frame", "garbage frame of " + std::to_string(read.payload.size()) + " bytes");
      SendError(0, v1::ERROR_CODE_BAD_FRAME, "frame is not a valid estate.v1.Frame");
      co_return;
    }
    const size_t wire_bytes = read.payload.size();
    if (phase_ == Phase::kIdle) RefreshIdleDeadline();

    if (busy_ != BusyReason::kNone && (frame.has_enroll() || frame.has_hello())) {
      RefuseBusy(frame);
      co_return;
    }
    switch (frame.body_case()) {
      case v1::Frame::kEnroll:
        if (!co_await HandleEnroll(frame)) co_return;
        break;
      case v1::Frame::kHello:
        if (!co_await HandleHello(frame)) co_return;
        RefreshIdleDeadline();
        break;
      case v1::Frame::kFullReport:
      case v1::Frame::kDeltaReport:
      case v1::Frame::kObservations:
        if (!co_await HandleReport(std::move(parsed), wire_bytes)) co_return;
        break;
      case v1::Frame::BODY_NOT_SET:
        context_.counters.unknown_messages++;
        context_.logger->warn("{}: unknown message type", remote_);
        SendError(frame.request_id(), v1::ERROR_CODE_UNKNOWN_MESSAGE,
                  "unknown message type: this collector speaks protocol " +
                      std::to_string(kProtocolVersion));
        co_return;
      default:
        context_.counters.protocol_errors++;
        context_.logger->warn("{}: message not expected from a peer", remote_);
        SendError(frame.request_id(), v1::ERROR_CODE_PROTOCOL,
                  "this message is not one a peer sends");
        co_return;
    }
  }
}

void AgentSession::RefuseBusy(const v1::Frame& frame) {
  v1::Frame answer;
  answer.set_request_id(frame.request_id());
  auto* error = answer.mutable_error();
  error->set_code(v1::ERROR_CODE_UNAVAILABLE);
  if (busy_ == BusyReason::kUnauthenticatedBudget) {
    // Counted by the listener, which found the budget full.
    error->set_message("collector busy: too many connections waiting to say hello; retry later");
  } else {
    context_.counters.connections_refused++;
    LogRefusal("connection-cap", "connection refused: collector busy, " +
                                     std::to_string(context_.counters.connections_active) +
                                     " connections open (max_connections)");
    error->set_message("collector busy: it serves its maximum of connections; retry later");
  }
  error->set_retry_after_ms(kBusyRetryAfterMs);
  Send(answer);
}

bool AgentSession::RefusedAsBusy(std::string_view payload) {
  if (channels_.empty() || !context_.ingestor.WouldRefuse(payload.size())) return false;
  v1::FrameEnvelope envelope;
  // Anything odd is left to the whole parse, which says what is wrong.
  if (!envelope.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return false;
  const v1::ReportEnvelope* report = envelope.has_full_report()    ? &envelope.full_report()
                                     : envelope.has_delta_report() ? &envelope.delta_report()
                                     : envelope.has_observations() ? &envelope.observations()
                                                                   : nullptr;
  if (report == nullptr || envelope.channel() >= channels_.size()) return false;
  auto answer =
      context_.ingestor.RefuseIfFull(envelope.request_id(), report->sequence(), payload.size());
  if (!answer) return false;
  answer->set_channel(envelope.channel());
  Send(*answer);
  return true;
}

bool AgentSession::RefusedAsInvalid(std::string_view payload) {
  if (channels_.empty()) return false;  // before Hello, bad bytes are just bad
  v1::FrameEnvelope envelope;
  if (!envelope.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return false;
  const v1::ReportEnvelope* report = envelope.has_full_report()    ? &envelope.full_report()
                                     : envelope.has_delta_report() ? &envelope.delta_report()
                                     : envelope.has_observations() ? &envelope.observations()
                                                                   : nullptr;
  if (report == nullptr || envelope.channel() >= channels_.size()) return false;
  // Say what is wrong when it is what it usually is: text that is not UTF-8.
  size_t bad_text = 0;
  std::string why = "not a valid estate.v1 report";
  if (auto repaired = RepairUtf8Wire(payload, *v1::Frame::descriptor(), &bad_text);
      repaired.ok() && bad_text > 0) {
    why = std::to_string(bad_text) + " text field(s) are not valid UTF-8";
  }
  const std::string message = "report " + std::to_string(report->sequence()) + " refused: " + why;
  LogRefusal("invalid-report",
             message + " (node " + SanitizeUtf8(channels_[envelope.channel()].peer.node_id) + ")");
  v1::Frame answer;
  answer.set_request_id(envelope.request_id());
  answer.set_channel(envelope.channel());
  answer.mutable_error()->set_code(v1::ERROR_CODE_INVALID_REPORT);
  answer.mutable_error()->set_message(message);
  answer.mutable_error()->set_sequence(report->sequence());
  Send(answer);
  return true;
}

bool AgentSession::KeepsRelayAfterRefusal() {
  return multiplex_ && !channels_.empty() && ++relay_refusals_ <= kMaxRelayRefusals;
}

awaitable<bool> AgentSession::HandleEnroll(const v1::Frame& frame) {
  // A node enrolls before its own Hello; a relay enrolls its nodes as it goes.
  if (!channels_.empty() && !multiplex_) {
    context_.counters.protocol_errors++;
    SendError(frame.request_id(), v1::ERROR_CODE_PROTOCOL, "enroll only before hello");
    co_return false;
  }
  Result<std::string> key = Status::FailedPrecondition("this collector does not enroll nodes");
  if (context_.nodes != nullptr && context_.nodes->enrollment_required()) {
    // The write is durable before the key is handed out: wait off the io threads.
    auto executor = co_await asio::this_coro::executor;
    co_await asio::post(*context_.blocking_pool, use_awaitable);
    key = context_.nodes->Enroll(frame.enroll(), address_, NowSeconds());
    co_await asio::post(executor, use_awaitable);
  }
  if (!key.ok()) {
    context_.counters.enroll_refused++;
    // The secret itself is never logged, only that it was wrong.
    LogRefusal("enroll", "enrollment of node " + SanitizeUtf8(frame.enroll().node_id()) +
                             " refused: " + key.status().message());
    SendError(frame.request_id(), v1::ERROR_CODE_UNAUTHENTICATED,
              "enrollment refused: " + key.status().message());
    co_return KeepsRelayAfterRefusal();
  }
  context_.counters.enrollments++;
  v1::Frame answer;
  answer.set_request_id(frame.request_id());
  answer.mutable_enroll_ack()->set_node_id(frame.enroll().node_id());
  answer.mutable_enroll_ack()->set_node_key(*key);
  co_return Send(answer);
}

awaitable<bool> AgentSession::HandleHello(const v1::Frame& frame) {
  const v1::Hello& hello = frame.hello();
  auto refuse = [&](v1::ErrorCode code, const std::string& why) {
    context_.counters.protocol_errors++;
    context_.logger->warn("{}: hello refused: {}", remote_, why);
    SendError(frame.request_id(), code, why);
    return false;
  };
  if (!channels_.empty() && !multiplex_) {
    co_return refuse(v1::ERROR_CODE_PROTOCOL,
                     "hello sent twice (a relay sets multiplex in its first hello)");
  }
  const uint32_t peer_max = hello.protocol_version();
  const uint32_t peer_min = hello.min_protocol_version() ? hello.min_protocol_version() : peer_max;
  if (peer_max < kMinProtocolVersion || peer_min > kProtocolVersion) {
    co_return refuse(v1::ERROR_CODE_UNSUPPORTED_VERSION,
                     "peer speaks protocol " + std::to_string(peer_min) + ".." +
                         std::to_string(peer_max) + ", collector speaks " +
                         std::to_string(kMinProtocolVersion) + ".." +
                         std::to_string(kProtocolVersion));
  }
  if (hello.node_id().empty() || hello.node_id().size() > kMaxNodeIdBytes ||
      hello.node_id().find('\0') != std::string::npos) {
    co_return refuse(v1::ERROR_CODE_PROTOCOL,
                     "hello needs a node_id of 1 to 256 bytes without NUL");
  }
  // Foreign agents report through the inventory listener only: their kinds
  // and node ids are not for the agent port (frame.proto PeerKind).
  if (IsForeignPeerKind(hello.kind()) || IsForeignNodeId(hello.node_id())) {
    co_return refuse(v1::ERROR_CODE_PROTOCOL,
                     "kind and node id of a foreign agent (inventory listener only)");
  }
  if (context_.nodes != nullptr) {
    // The key binds the node id: a key only speaks for the node it was issued to.
    if (Status st = context_.nodes->Authenticate(hello.node_id(), hello.node_key()); !st.ok()) {
      context_.counters.auth_refused++;
      LogRefusal("auth",
                 "hello of node " + SanitizeUtf8(hello.node_id()) + " refused: " + st.message());
      SendError(frame.request_id(), v1::ERROR_CODE_UNAUTHENTICATED, st.message());
      co_return KeepsRelayAfterRefusal();
    }
  }
  if (channels_.empty()) {
    multiplex_ = hello.multiplex();
    // Authenticated: from now on the node's own frame size applies, and
    // its TLS state is no longer a stranger's.
    reader_.Trust(context_.options.max_frame_bytes);
    tls_state_.Reset();
  }
  uint32_t channel;
  if (auto known = channel_of_.find(hello.node_id()); known != channel_of_.end()) {
    channel = known->second;  // the same node again: its channel
  } else {
    if (channels_.size() >= context_.options.max_channels) {
      refuse(v1::ERROR_CODE_PROTOCOL, "this connection already speaks for " +
                                          std::to_string(context_.options.max_channels) + " nodes");
      co_return KeepsRelayAfterRefusal();
    }
    channel = static_cast<uint32_t>(channels_.size());
    Channel& c = channels_.emplace_back();
    c.peer.node_id = hello.node_id();
    c.peer.hostname = SanitizeUtf8(hello.hostname());
    c.peer.software_version = SanitizeUtf8(hello.software_version());
    c.peer.kind = hello.kind();
    channel_of_[c.peer.node_id] = channel;
    if (context_.nodes != nullptr && context_.nodes->enrollment_required()) {
      context_.nodes->Seen(c.peer.node_id, c.peer.hostname, address_, NowSeconds());
      // A revocation closes this session on its own strand, at once (a relay
      // reconnects; the revoked node's next hello is refused).
      std::weak_ptr<AgentSession> weak = shared_from_this();
      auto executor = socket_.get_executor();
      auto* counters = &context_.counters;
      c.attach_token = context_.nodes->Attach(c.peer.node_id, [weak, executor, counters] {
        asio::post(executor, [weak, counters] {
          if (auto session = weak.lock()) {
            counters->revoked_closed++;
            session->Close();
          }
        });
      });
    }
  }

  auto last = ReportApplier::LastSequence(context_.store, hello.node_id());
  v1::Frame answer;
  answer.set_request_id(frame.request_id());
  auto* ack = answer.mutable_hello_ack();
  ack->set_protocol_version(std::min(peer_max, kProtocolVersion));
  ack->set_collector_version(context_.collector_version);
  ack->set_last_sequence(last.ok() ? *last : 0);
  ack->set_max_frame_bytes(context_.options.max_frame_bytes);
  ack->set_channel(channel);
  ack->set_max_in_flight(context_.options.max_in_flight);
  co_return Send(answer);
}

awaitable<bool> AgentSession::HandleReport(ArenaFrame parsed, size_t wire_bytes) {
  const v1::Frame& frame = *parsed;
  if (channels_.empty()) {
    context_.counters.protocol_errors++;
    context_.logger->warn("{}: report before hello", remote_);
    SendError(frame.request_id(), v1::ERROR_CODE_PROTOCOL, "send Hello before any report");
    co_return false;
  }
  const uint32_t channel = frame.channel();
  if (channel >= channels_.size()) {
    context_.counters.protocol_errors++;
    context_.logger->warn("{}: report on channel {} that no hello opened", remote_, channel);
    SendError(frame.request_id(), v1::ERROR_CODE_PROTOCOL,
              "no hello opened channel " + std::to_string(channel), channel);
    co_return false;
  }
  const Peer& peer = channels_[channel].peer;
  if (context_.rate_limiter != nullptr) {
    if (uint32_t wait_ms = context_.rate_limiter->Take(peer.node_id)) {
      context_.counters.rate_limited++;
      if (context_.refusals == nullptr ||
          context_.refusals->ShouldLog("rate", "node:" + peer.node_id)) {
        context_.logger->warn("{}: node {} is over its report rate; told to retry", remote_,
                              SanitizeUtf8(peer.node_id));
      }
      v1::Frame answer;
      answer.set_request_id(frame.request_id());
      answer.set_channel(channel);
      auto* error = answer.mutable_error();
      error->set_code(v1::ERROR_CODE_RATE_LIMITED);
      error->set_message("over this node's report rate; retry later");
      error->set_sequence(SequenceOf(frame));
      error->set_retry_after_ms(wait_ms);
      co_return Send(answer);
    }
  }
  co_await WaitForWindow();
  if (!open()) co_return false;
  ++in_flight_;
  in_flight_bytes_ += wire_bytes;
  RefreshIdleDeadline();
  auto self = shared_from_this();
  auto executor = socket_.get_executor();
  context_.ingestor.Submit(
      peer, std::move(parsed),
      [self, executor, channel, wire_bytes, node_id = peer.node_id](v1::Frame answer) {
        // Runs on the ingest committer thread: back to the session's strand.
        asio::post(executor, [self, channel, wire_bytes, node_id = std::move(node_id),
                              answer = std::move(answer)]() mutable {
          // The writer refuses a report as UNAUTHENTICATED only when it
          // revoked the node (a banned machine): the directory follows.
          if (answer.has_error() && answer.error().code() == v1::ERROR_CODE_UNAUTHENTICATED &&
              self->context_.nodes != nullptr) {
            self->context_.nodes->RevokedByWriter(node_id, answer.error().message(), NowSeconds());
          }
          --self->in_flight_;
          self->in_flight_bytes_ -= wire_bytes;
          answer.set_channel(channel);
          self->Send(answer);
          self->window_.cancel();
          self->RefreshIdleDeadline();
        });
      },
      wire_bytes);
  co_return true;
}

}  // namespace estate::collector
