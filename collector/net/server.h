// Server: the collector's network front — the agent TCP listener and the admin
// Unix socket listener on one multi-threaded io_context. Each connection runs
// as one coroutine on its own strand.
//
// Start/Stop from the owning thread; Run blocks on the io threads.
#ifndef ESTATE_COLLECTOR_NET_SERVER_H_
#define ESTATE_COLLECTOR_NET_SERVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "collector/admin/command_registry.h"
#include "collector/admin/role_map.h"
#include "collector/net/admin_session.h"
#include "collector/net/agent_session.h"
#include "collector/net/byte_budget.h"
#include "collector/net/refusal_log.h"
#include "estate/endpoint.h"

namespace estate::collector {

struct ServerOptions {
  Endpoint listen{"127.0.0.1", 4790};
  std::string admin_socket;
  // Group of the admin socket (mode 0660): a name or gid; empty means `estate`
  // when it exists, else the collector's own group (admin_socket_group.h).
  std::string admin_group;
  RoleGroups roles;  // Unix groups -> admin roles
  int io_threads = 2;
  size_t max_connections = 20000;
  // An estatectl connection with no request (or a response it does not read)
  // for this long is closed.
  std::chrono::milliseconds admin_idle_timeout{60000};
  SessionOptions session;
  // TLS on the agent port: the collector's certificate chain and key (PEM).
  std::string tls_cert_file;
  std::string tls_key_file;
  // Without a certificate, plaintext is served only when this is set and
  // `listen` is a loopback address.
  bool insecure_plaintext = false;
  RateLimit report_rate;
};

class Server {
 public:
  Server(ServerOptions options, Ingestor& ingestor, Store& store, const CommandRegistry& commands,
         std::shared_ptr<spdlog::logger> logger);
  ~Server();

  // Whether `options` may serve agents: TLS files given, or loopback plaintext
  // explicitly allowed. The message says what to set.
  static Status CheckTransport(const ServerOptions& options);

  // Enrolled nodes and their keys; without one (unit tests) Hello is not
  // authenticated. Set before Start.
  void SetNodeDirectory(NodeDirectory* nodes) { session_context_.nodes = nodes; }

  // Loads the TLS settings and binds both listeners; a clear error when the
  // TLS files are wrong, plaintext is not allowed or an address is taken.
  Status Start();
  // Serves until Shutdown (e.g. from a signal handler on the io_context).
  void Run();
  // Closes both listeners; sessions in progress go on.
  void StopAccepting();
  void Stop();

  asio::io_context& io() { return io_; }
  uint16_t bound_port() const { return bound_port_; }
  ServerCounters& counters() { return counters_; }
  const ByteBudget& untrusted_bytes() const { return untrusted_bytes_; }

 private:
  awaitable<void> AcceptAgents();
  awaitable<void> AcceptAdmins();
  Status SetUpTransport();

  ServerOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  asio::io_context io_;
  asio::thread_pool admin_pool_{1};
  asio::thread_pool blocking_pool_{1};
  std::unique_ptr<asio::ssl::context> tls_;
  RefusalLog refusals_;
  ReportRateLimiter rate_limiter_;
  tcp::acceptor agent_acceptor_{io_};
  unix_socket::acceptor admin_acceptor_{io_};
  ServerCounters counters_;
  ByteBudget untrusted_bytes_;
  RoleMap roles_;  // resolved by Start, before the first admin session
  SessionContext session_context_;
  AdminSessionContext admin_context_;
  uint16_t bound_port_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_SERVER_H_
