// AgentSession: one agent or scanner connection, run as one coroutine on its
// own strand. Frames in, answers out; reports go to the Ingestor and are
// answered when it has made them durable. Bad input (garbage, truncated or
// oversized frames, unknown messages, messages out of order) is answered with
// an Error where possible and closes this connection only.
#ifndef ESTATE_COLLECTOR_NET_AGENT_SESSION_H_
#define ESTATE_COLLECTOR_NET_AGENT_SESSION_H_

#include <chrono>
#include <memory>
#include <string>

#include "collector/ingest/ingestor.h"
#include "collector/net/asio.h"
#include "collector/net/server_counters.h"
#include "collector/store/store.h"
#include "estate/framing.h"

namespace estate::collector {

struct SessionOptions {
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;
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
};

class AgentSession : public std::enable_shared_from_this<AgentSession> {
 public:
  AgentSession(tcp::socket socket, SessionContext& context);
  // Serves the connection until it closes; never throws.
  awaitable<void> Run();

 private:
  awaitable<void> Serve();
  awaitable<void> Watchdog();
  awaitable<bool> HandleHello(const v1::Frame& frame);
  awaitable<v1::Frame> SubmitReport(v1::Frame frame);
  awaitable<void> SendError(uint64_t request_id, v1::ErrorCode code, const std::string& message);
  void SetDeadline(std::chrono::milliseconds from_now);
  void Close();

  tcp::socket socket_;
  SessionContext& context_;
  asio::steady_timer watchdog_;
  std::chrono::steady_clock::time_point deadline_;
  std::string remote_;
  Peer peer_;
  bool said_hello_ = false;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_AGENT_SESSION_H_
