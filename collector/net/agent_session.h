// AgentSession: one agent or scanner connection, run as coroutines on its own
// strand. TLS handshake (unless the listener is loopback plaintext), then
// optional Enrolls, then Hello with the node key, then reports; reports go to
// the Ingestor and are answered when it has made them durable.
//
// Reports are pipelined: the reader keeps reading while earlier reports are
// being stored, up to `max_in_flight` unanswered, and a writer coroutine sends
// answers as they complete, several in one write. A relay (Hello.multiplex)
// speaks for several nodes on one connection: each says its own Hello with
// its own key and gets a channel, which its reports carry.
//
// Bad input (garbage, truncated or oversized frames, unknown messages,
// messages out of order, a wrong key, an unknown channel) is answered with an
// Error where possible and closes this connection only.
//
// Until its first Hello is accepted a connection is untrusted: it may send
// frames of at most kMaxUntrustedFrameBytes (an Enroll or Hello is tiny), its
// read buffer grows only with the bytes it sends and counts against a budget
// shared by all untrusted connections, as does its TLS state (tls_socket.h:
// the handshake's, then the idle connection's), until the Hello. A plaintext
// session holds no TLS state, a TLS one no record buffers of its own.
#ifndef ESTATE_COLLECTOR_NET_AGENT_SESSION_H_
#define ESTATE_COLLECTOR_NET_AGENT_SESSION_H_

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include "collector/auth/node_directory.h"
#include "collector/auth/report_rate_limiter.h"
#include "collector/ingest/ingestor.h"
#include "collector/net/asio.h"
#include "collector/net/byte_budget.h"
#include "collector/net/frame_io.h"
#include "collector/net/refusal_log.h"
#include "collector/net/server_counters.h"
#include "collector/net/tls_socket.h"
#include "collector/store/store.h"
#include "estate/framing.h"

namespace estate::collector {

// The largest frame a connection may send before its Hello is accepted.
inline constexpr uint32_t kMaxUntrustedFrameBytes = 64 * 1024;

struct SessionOptions {
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;
  // Read buffers of connections not yet authenticated, all together.
  size_t max_unauthenticated_bytes = 64u << 20;
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds hello_timeout{10000};
  std::chrono::milliseconds idle_timeout{300000};
  // Reports read ahead before the first of them is answered, in number and
  // in bytes: past either, the session stops reading and TCP holds the peer.
  uint32_t max_in_flight = 64;
  size_t max_in_flight_bytes = 4u << 20;
  // Nodes one relay connection may speak for.
  uint32_t max_channels = 10000;
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
  // Shared by the read buffers of untrusted connections; nullptr: no cap.
  ByteBudget* untrusted_bytes = nullptr;
};

// Why a connection is only told "collector busy" (see AgentSession).
enum class BusyReason {
  kNone,
  kMaxConnections,         // max_connections are open
  kUnauthenticatedBudget,  // strangers already hold max_unauthenticated_mb
};

class AgentSession : public std::enable_shared_from_this<AgentSession> {
 public:
  // `busy` other than kNone: the session answers the peer's first Enroll or
  // Hello with UNAVAILABLE "collector busy" and closes (over TLS a refusal
  // the agent can read needs the handshake first). `tls_state`: the budget
  // charge for this connection's TLS state (kTlsHandshakeStateBytes), taken
  // by the listener; lowered after the handshake, given back at the Hello.
  AgentSession(tcp::socket socket, SessionContext& context, BusyReason busy = BusyReason::kNone,
               ByteCharge tls_state = {});
  // Serves the connection until it closes; never throws.
  awaitable<void> Run();

 private:
  enum class Phase { kHandshake, kHello, kIdle };
  // One node this connection speaks for.
  struct Channel {
    Peer peer;
    uint64_t attach_token = 0;
  };

  awaitable<bool> Handshake();
  awaitable<void> Serve();
  awaitable<void> Watchdog();
  awaitable<void> Writer();
  awaitable<bool> HandleEnroll(const v1::Frame& frame);
  awaitable<bool> HandleHello(const v1::Frame& frame);
  awaitable<bool> HandleReport(ArenaFrame parsed, size_t wire_bytes);
  // When the ingest queue is full, answers a report busy from its envelope
  // instead of parsing it whole: a storm of retried 190 KB reports otherwise
  // cost more to refuse than to store. False when the frame goes on as usual.
  bool RefusedAsBusy(std::string_view payload);
  // A report that is framed well but does not parse (a text field that is not
  // UTF-8, from an agent that did not repair it) is refused alone, with
  // INVALID_REPORT for its request id: the connection and the node's other
  // reports go on. False when the frame is not such a report (then BAD_FRAME).
  bool RefusedAsInvalid(std::string_view payload);
  // Queues `frame` for the writer; false when the connection is closing.
  bool Send(const v1::Frame& frame);
  void SendError(uint64_t request_id, v1::ErrorCode code, const std::string& message,
                 uint32_t channel = 0);
  // Waits until everything queued is written (or the peer is gone).
  awaitable<void> Flush();
  // Waits until fewer than max_in_flight reports are unanswered.
  awaitable<void> WaitForWindow();
  // Logs `message` unless this client was already told about `reason` lately.
  void LogRefusal(const std::string& reason, const std::string& message);
  void SetDeadline(Phase phase, std::chrono::milliseconds from_now);
  void RefreshIdleDeadline();
  void Close();
  bool open() const { return socket_.is_open(); }
  // Answers `frame` (an Enroll or Hello) "collector busy".
  void RefuseBusy(const v1::Frame& frame);

  tcp::socket socket_;
  // Over socket_; only on a TLS listener.
  std::unique_ptr<TlsSocket> tls_socket_;
  SessionContext& context_;
  const bool tls_;
  const BusyReason busy_;
  ByteCharge tls_state_;  // while untrusted, over TLS
  asio::steady_timer watchdog_;
  std::chrono::steady_clock::time_point deadline_;
  Phase phase_ = Phase::kHandshake;
  std::string remote_;   // address:port, for log lines
  std::string address_;  // address only, the client for RefusalLog
  FrameReader reader_;

  // A refused enroll or hello closes the connection, except on a relay that
  // already speaks for nodes: they go on, and only that node is refused. Past
  // kMaxRelayRefusals the relay is closed all the same (no guessing keys or
  // secrets through one connection).
  bool KeepsRelayAfterRefusal();
  static constexpr uint32_t kMaxRelayRefusals = 16;
  uint32_t relay_refusals_ = 0;

  std::deque<Channel> channels_;  // index = channel number; references stay valid
  std::unordered_map<std::string, uint32_t> channel_of_;  // node id -> channel
  bool multiplex_ = false;

  // Pipelining: reports handed to the Ingestor and not yet answered.
  uint32_t in_flight_ = 0;
  size_t in_flight_bytes_ = 0;
  asio::steady_timer window_;  // cancelled when a report is answered
  // Encoded answers waiting for the writer; `writing_` while it writes.
  std::deque<std::string> outbox_;
  bool writing_ = false;
  asio::steady_timer outbox_signal_;  // cancelled when outbox_ gets a frame or drains
  bool closing_ = false;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_AGENT_SESSION_H_
