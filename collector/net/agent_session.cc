#include "collector/net/agent_session.h"

#include <spdlog/spdlog.h>

#include "collector/net/frame_io.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr size_t kMaxNodeIdBytes = 256;

// Completes a coroutine with the Ingestor's answer, resumed on the session's strand.
template <typename Token>
auto AsyncIngest(Ingestor& ingestor, const Peer& peer, v1::Frame frame, Token&& token) {
  return asio::async_initiate<Token, void(v1::Frame)>(
      [&ingestor, &peer](auto handler, v1::Frame report) {
        auto executor = asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        ingestor.Submit(peer, std::move(report), [shared, executor](v1::Frame answer) {
          asio::post(executor, [shared, answer = std::move(answer)]() mutable {
            (*shared)(std::move(answer));
          });
        });
      },
      token, std::move(frame));
}

}  // namespace

AgentSession::AgentSession(tcp::socket socket, SessionContext& context)
    : socket_(std::move(socket)), context_(context), watchdog_(socket_.get_executor()) {
  error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  remote_ = ec ? "unknown" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

awaitable<void> AgentSession::Run() {
  auto self = shared_from_this();
  context_.counters.connections_active++;
  SetDeadline(context_.options.hello_timeout);
  asio::co_spawn(
      socket_.get_executor(), [self]() { return self->Watchdog(); }, asio::detached);
  try {
    co_await Serve();
  } catch (const std::exception& e) {
    context_.logger->warn("{}: session ended by an internal error: {}", remote_, e.what());
  }
  Close();
  context_.counters.connections_active--;
}

void AgentSession::SetDeadline(std::chrono::milliseconds from_now) {
  deadline_ = std::chrono::steady_clock::now() + from_now;
}

void AgentSession::Close() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  watchdog_.cancel();
}

awaitable<void> AgentSession::Watchdog() {
  auto self = shared_from_this();
  while (socket_.is_open()) {
    watchdog_.expires_at(deadline_);
    error_code ec;
    co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
    if (!socket_.is_open()) break;
    if (deadline_ <= std::chrono::steady_clock::now()) {
      context_.counters.timeouts++;
      context_.logger->info("{}: closing idle connection ({})", remote_,
                            said_hello_ ? "no report within the idle timeout" : "no hello in time");
      Close();
    }
  }
}

awaitable<void> AgentSession::SendError(uint64_t request_id, v1::ErrorCode code,
                                        const std::string& message) {
  v1::Frame answer;
  answer.set_request_id(request_id);
  answer.mutable_error()->set_code(code);
  answer.mutable_error()->set_message(message);
  co_await WriteFrame(socket_, answer);
}

awaitable<void> AgentSession::Serve() {
  for (;;) {
    FrameRead read = co_await ReadFrame(socket_, context_.options.max_frame_bytes);
    if (read.failure == ReadFailure::kClosed) co_return;
    if (read.failure == ReadFailure::kTruncated) {
      if (socket_.is_open()) {
        context_.counters.bad_frames++;
        context_.logger->warn("{}: connection closed in the middle of a frame", remote_);
      }
      co_return;
    }
    if (read.failure == ReadFailure::kBadHeader) {
      context_.counters.bad_frames++;
      context_.logger->warn("{}: refused frame: {}", remote_, read.detail);
      co_await SendError(0, v1::ERROR_CODE_BAD_FRAME, read.detail);
      co_return;
    }
    context_.counters.frames_received++;
    context_.counters.bytes_received += read.payload.size() + kFrameHeaderBytes;

    v1::Frame frame;
    if (Status st = DecodeFramePayload(read.payload, &frame); !st.ok()) {
      context_.counters.bad_frames++;
      context_.logger->warn("{}: garbage frame of {} bytes", remote_, read.payload.size());
      co_await SendError(0, v1::ERROR_CODE_BAD_FRAME, "frame is not a valid estate.v1.Frame");
      co_return;
    }

    switch (frame.body_case()) {
      case v1::Frame::kHello:
        if (!co_await HandleHello(frame)) co_return;
        SetDeadline(context_.options.idle_timeout);
        break;
      case v1::Frame::kFullReport:
      case v1::Frame::kDeltaReport:
      case v1::Frame::kObservations: {
        if (!said_hello_) {
          context_.counters.protocol_errors++;
          context_.logger->warn("{}: report before hello", remote_);
          co_await SendError(frame.request_id(), v1::ERROR_CODE_PROTOCOL,
                             "send Hello before any report");
          co_return;
        }
        // An ingest wait is not idleness: the deadline is off until the answer.
        SetDeadline(std::chrono::hours(24 * 365));
        v1::Frame answer = co_await SubmitReport(std::move(frame));
        SetDeadline(context_.options.idle_timeout);
        if (!co_await WriteFrame(socket_, answer)) co_return;
        break;
      }
      case v1::Frame::BODY_NOT_SET:
        context_.counters.unknown_messages++;
        context_.logger->warn("{}: unknown message type", remote_);
        co_await SendError(frame.request_id(), v1::ERROR_CODE_UNKNOWN_MESSAGE,
                           "unknown message type: this collector speaks protocol " +
                               std::to_string(kProtocolVersion));
        co_return;
      default:
        context_.counters.protocol_errors++;
        context_.logger->warn("{}: message not expected from a peer", remote_);
        co_await SendError(frame.request_id(), v1::ERROR_CODE_PROTOCOL,
                           "this message is not one a peer sends");
        co_return;
    }
  }
}

awaitable<bool> AgentSession::HandleHello(const v1::Frame& frame) {
  const v1::Hello& hello = frame.hello();
  auto refuse = [&](v1::ErrorCode code, const std::string& why) -> awaitable<bool> {
    context_.counters.protocol_errors++;
    context_.logger->warn("{}: hello refused: {}", remote_, why);
    co_await SendError(frame.request_id(), code, why);
    co_return false;
  };
  if (said_hello_) co_return co_await refuse(v1::ERROR_CODE_PROTOCOL, "hello sent twice");
  const uint32_t peer_max = hello.protocol_version();
  const uint32_t peer_min = hello.min_protocol_version() ? hello.min_protocol_version() : peer_max;
  if (peer_max < kMinProtocolVersion || peer_min > kProtocolVersion) {
    co_return co_await refuse(v1::ERROR_CODE_UNSUPPORTED_VERSION,
                              "peer speaks protocol " + std::to_string(peer_min) + ".." +
                                  std::to_string(peer_max) + ", collector speaks " +
                                  std::to_string(kMinProtocolVersion) + ".." +
                                  std::to_string(kProtocolVersion));
  }
  if (hello.node_id().empty() || hello.node_id().size() > kMaxNodeIdBytes ||
      hello.node_id().find('\0') != std::string::npos) {
    co_return co_await refuse(v1::ERROR_CODE_PROTOCOL,
                              "hello needs a node_id of 1 to 256 bytes without NUL");
  }
  peer_.node_id = hello.node_id();
  peer_.hostname = SanitizeUtf8(hello.hostname());
  peer_.software_version = SanitizeUtf8(hello.software_version());
  peer_.kind = hello.kind();
  said_hello_ = true;

  auto last = ReportApplier::LastSequence(context_.store, peer_.node_id);
  v1::Frame answer;
  answer.set_request_id(frame.request_id());
  auto* ack = answer.mutable_hello_ack();
  ack->set_protocol_version(std::min(peer_max, kProtocolVersion));
  ack->set_collector_version(context_.collector_version);
  ack->set_last_sequence(last.ok() ? *last : 0);
  ack->set_max_frame_bytes(context_.options.max_frame_bytes);
  co_return co_await WriteFrame(socket_, answer);
}

awaitable<v1::Frame> AgentSession::SubmitReport(v1::Frame frame) {
  co_return co_await AsyncIngest(context_.ingestor, peer_, std::move(frame), use_awaitable);
}

}  // namespace estate::collector
