// ConnectionFlood: many connections to a collector on 127.0.0.1 that each
// send a few bytes (e.g. a frame header announcing a large frame) and then
// nothing — the pre-authentication memory attack. Plaintext, or TLS with the
// handshake completed first (the certificate is not checked: the peer is the
// test's own collector). Used by the flood test and by preauth_flood_bench.
//
// Not thread-safe: one owner.
#ifndef ESTATE_TESTS_COLLECTOR_CONNECTION_FLOOD_H_
#define ESTATE_TESTS_COLLECTOR_CONNECTION_FLOOD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace estate::testing {

class ConnectionFlood {
 public:
  ConnectionFlood(uint16_t port, bool tls);
  ~ConnectionFlood();  // closes every connection
  ConnectionFlood(const ConnectionFlood&) = delete;
  ConnectionFlood& operator=(const ConnectionFlood&) = delete;

  // Opens `count` more connections, each sending `bytes` once connected.
  // Over TLS a connection the collector closes during the handshake (it
  // admits no more strangers) is counted in refused() and the next is tried.
  Status Open(size_t count, std::string_view bytes);
  size_t size() const { return connections_.size(); }
  size_t refused() const { return refused_; }
  // Connections the collector has closed (read 0 bytes or an error without
  // waiting); what each sent before closing is appended to `answers`.
  size_t CountClosed(std::vector<std::string>* answers = nullptr);

 private:
  struct Connection {
    int fd = -1;
    SSL* ssl = nullptr;
  };
  const uint16_t port_;
  const bool tls_;
  SSL_CTX* context_ = nullptr;
  std::vector<Connection> connections_;
  size_t refused_ = 0;
};

// VmRSS of process `pid` from /proc/PID/status, in KiB; 0 when unreadable.
uint64_t ResidentKb(int pid);

// This process may open that many descriptors (raised to the hard limit);
// the daemons it starts inherit the limit.
size_t RaiseOpenFileLimit();

}  // namespace estate::testing

#endif  // ESTATE_TESTS_COLLECTOR_CONNECTION_FLOOD_H_
