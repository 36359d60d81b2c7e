// Counters the network layer keeps for `estatectl stats`. Thread-safe.
#ifndef ESTATE_COLLECTOR_NET_SERVER_COUNTERS_H_
#define ESTATE_COLLECTOR_NET_SERVER_COUNTERS_H_

#include <atomic>
#include <cstdint>

namespace estate::collector {

struct ServerCounters {
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<int64_t> connections_active{0};
  std::atomic<uint64_t> connections_refused{0};  // over the connection cap
  // Connections over the cap being told "collector busy" (a TLS handshake
  // and one answer each); past a few dozen, more are closed unanswered.
  std::atomic<int64_t> busy_refusals_active{0};
  // Untrusted connections refused because their read buffers together
  // reached max_unauthenticated_mb.
  std::atomic<uint64_t> unauthenticated_over_budget{0};
  std::atomic<uint64_t> frames_received{0};
  std::atomic<uint64_t> bytes_received{0};
  std::atomic<uint64_t> bad_frames{0};  // bad header, garbage payload, truncated
  std::atomic<uint64_t> unknown_messages{0};
  std::atomic<uint64_t> protocol_errors{0};     // out of order, unsupported version
  std::atomic<uint64_t> timeouts{0};            // hello or idle timeout
  std::atomic<uint64_t> handshake_timeouts{0};  // TLS handshake not done in time (slowloris)
  std::atomic<uint64_t> tls_failures{0};        // handshake failed: not TLS, untrusted, ...
  std::atomic<uint64_t> enrollments{0};
  std::atomic<uint64_t> enroll_refused{0};  // wrong secret, node already enrolled or revoked
  std::atomic<uint64_t> auth_refused{0};    // hello without/with a wrong node key, revoked
  std::atomic<uint64_t> rate_limited{0};    // reports over the node's rate
  std::atomic<uint64_t> revoked_closed{0};  // live sessions closed by a revocation
  std::atomic<uint64_t> admin_requests{0};
  std::atomic<uint64_t> admin_denied{0};
  std::atomic<uint64_t> admin_timeouts{0};  // admin connections closed idle
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_SERVER_COUNTERS_H_
