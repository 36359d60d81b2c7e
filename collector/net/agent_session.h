// AgentSession: one agent or scanner connection, run as one coroutine on its
// own strand. TLS handshake (unless the listener is loopback plaintext), then
// an optional Enroll, then Hello with the node key, then reports; reports go
// to the Ingestor and are answered when it has made them durable. Bad input
// (garbage, truncated or oversized frames, unknown messages, messages out of
// order, a wrong key) is answered with an Error where possible and closes this
// connection only.
#ifndef ESTATE_COLLECTOR_NET_AGENT_SESSION_H_
#define ESTATE_COLLECTOR_NET_AGENT_SESSION_H_

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "collector/auth/node_directory.h"
#include "collector/auth/report_rate_limiter.h"
#include "collector/ingest/ingestor.h"
#include "collector/net/asio.h"
#include "collector/net/frame_io.h"
#include "collector/net/refusal_log.h"
#include "collector/net/server_counters.h"
#include "collector/store/store.h"
#include "estate/framing.h"

namespace estate::collector {

struct SessionOptions {
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds hello_timeout{10000};
  std::chrono::milliseconds idle_timeout{300000};
};

// Everything a session needs from the daemon; outlives all sessions.
struct SessionContext {
  Ingestor& ingestor;
  Store& store;
  ServerCounters& counters;
  std::shared_ptr<spdlog::logger> logger;
  SessionOptions options;
  std::string collector_version;
  // The listener's TLS context; nullptr for loopback plaintext.
  asio::ssl::context* tls = nullptr;
  NodeDirectory* nodes = nullptr;  // nullptr: no node authentication (unit tests)
  ReportRateLimiter* rate_limiter = nullptr;
  RefusalLog* refusals = nullptr;
  // Runs enrollments, which wait for a durable write, off the io threads.
  asio::thread_pool* blocking_pool = nullptr;
};

class AgentSession : public std::enable_shared_from_this<AgentSession> {
 public:
  AgentSession(tcp::socket socket, SessionContext& context);
  // Serves the connection until it closes; never throws.
  awaitable<void> Run();

 private:
  enum class Phase { kHandshake, kHello, kIdle };

  awaitable<bool> Handshake();
  awaitable<void> Serve();
  awaitable<void> Watchdog();
  awaitable<bool> HandleEnroll(const v1::Frame& frame);
  awaitable<bool> HandleHello(const v1::Frame& frame);
  awaitable<bool> HandleReport(v1::Frame frame, size_t wire_bytes);
  awaitable<v1::Frame> SubmitReport(v1::Frame frame, size_t wire_bytes);
  awaitable<void> SendError(uint64_t request_id, v1::ErrorCode code, const std::string& message);
  awaitable<FrameRead> Read();
  awaitable<bool> Write(const v1::Frame& frame);
  // Logs `message` unless this client was already told about `reason` lately.
  void LogRefusal(const std::string& reason, const std::string& message);
  void SetDeadline(Phase phase, std::chrono::milliseconds from_now);
  void Close();

  asio::ssl::stream<tcp::socket> stream_;
  SessionContext& context_;
  const bool tls_;
  asio::steady_timer watchdog_;
  std::chrono::steady_clock::time_point deadline_;
  Phase phase_ = Phase::kHandshake;
  std::string remote_;   // address:port, for log lines
  std::string address_;  // address only, the client for RefusalLog
  Peer peer_;
  bool said_hello_ = false;
  bool enrolled_ = false;
  uint64_t attach_token_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_AGENT_SESSION_H_
