// InventoryListener: the HTTP(S) port foreign inventory agents report to —
// FusionInventory, GLPI Agent and OCS Inventory agents pointed at
// https://collector:PORT/ (any path). Off unless `inventory_listen` is set.
//
// Each connection is one coroutine on its own strand: it reads a request
// (bounded headers and body, a deadline per request), checks the site's
// inventory credentials, hands the body to HandleInventoryRequest (pure,
// collector/inventory/) and, for an inventory, submits the mapped facts to
// the Ingestor like an estate-agent full report and answers once they are
// durable. Bad input is answered with an HTTP error and one log line; the
// connection alone is closed. Owns its acceptor; lives on the Server's
// io_context. Start/StopAccepting from the owning thread.
#ifndef ESTATE_COLLECTOR_NET_INVENTORY_LISTENER_H_
#define ESTATE_COLLECTOR_NET_INVENTORY_LISTENER_H_

#include <spdlog/logger.h>

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "collector/auth/inventory_users.h"
#include "collector/auth/node_directory.h"
#include "collector/ingest/ingestor.h"
#include "collector/inventory/inventory_protocol.h"
#include "collector/net/asio.h"
#include "collector/net/refusal_log.h"
#include "estate/endpoint.h"

namespace estate::collector {

struct InventoryListenerOptions {
  bool enabled = false;  // inventory_listen set
  Endpoint listen{"127.0.0.1", 62354};
  // TLS with the collector's certificate (the agent port's, from `estatectl
  // pki init`); without it plaintext only on loopback with insecure_plaintext.
  std::string tls_cert_file;
  std::string tls_key_file;
  bool insecure_plaintext = false;
  // The site's inventory token: agents send it as the HTTP basic-auth
  // password (any user name) or as "Authorization: Bearer TOKEN". Empty:
  // only the inventory users (`estatectl inventory-user add`) are accepted.
  std::string token;
  // Passwords of inventory users being hashed at once (one thread hashes,
  // the rest wait); past it a request is answered 503, so a flood of wrong
  // passwords costs at most one core and never queues without bound.
  size_t max_credential_checks = 8;
  // No credentials at all: only with loopback plaintext.
  bool allow_anonymous = false;
  size_t max_body_bytes = 32u << 20;  // as sent (compressed); also the inflated limit x2
  size_t max_connections = 256;
  std::chrono::milliseconds request_timeout{60000};
  InventoryProtocolOptions protocol;
};

class InventoryListener {
 public:
  // `users` may be null (tests): the token alone is accepted.
  InventoryListener(InventoryListenerOptions options, asio::io_context& io, Ingestor& ingestor,
                    NodeDirectory* nodes, InventoryUsers* users,
                    std::shared_ptr<spdlog::logger> logger);
  ~InventoryListener();

  // Whether `options` may be served: TLS, or loopback plaintext when allowed;
  // anonymous only on loopback plaintext. The message says what to set.
  static Status CheckOptions(const InventoryListenerOptions& options);

  Status Start();
  void StopAccepting();
  uint16_t bound_port() const { return bound_port_; }

 private:
  class Session;
  awaitable<void> Accept();

  InventoryListenerOptions options_;
  asio::io_context& io_;
  Ingestor& ingestor_;
  NodeDirectory* nodes_;
  InventoryUsers* users_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<asio::ssl::context> tls_;
  tcp::acceptor acceptor_;
  RefusalLog refusals_;
  std::atomic<size_t> active_{0};
  std::atomic<size_t> checking_{0};  // passwords queued or being hashed
  asio::thread_pool checker_{1};     // hashes passwords, off the io threads
  uint16_t bound_port_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_INVENTORY_LISTENER_H_
