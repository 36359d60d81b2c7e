// AdminSession: one estatectl connection on the admin Unix socket. The caller's
// identity comes from SO_PEERCRED, its groups from SO_PEERGROUPS, its role from
// the RoleMap; commands run on the admin thread pool so a long report never
// stalls agent I/O. A connection that sends no request, or does not read its
// response, for `idle_timeout` is closed (a command still running is not idle).
// Runs on its own strand.
#ifndef ESTATE_COLLECTOR_NET_ADMIN_SESSION_H_
#define ESTATE_COLLECTOR_NET_ADMIN_SESSION_H_

#include <chrono>
#include <memory>

#include "collector/admin/command_registry.h"
#include "collector/admin/role_map.h"
#include "collector/net/asio.h"
#include "collector/net/server_counters.h"

namespace estate::collector {

struct AdminSessionContext {
  const CommandRegistry& commands;
  Store& store;
  ServerCounters& counters;
  Ingestor& ingestor;
  asio::thread_pool& pool;
  const RoleMap& roles;
  std::shared_ptr<spdlog::logger> logger;
  int64_t started_at = 0;
  std::chrono::milliseconds idle_timeout{60000};
};

class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(unix_socket::socket socket, AdminSessionContext& context);
  awaitable<void> Run();

 private:
  Caller PeerCredentials();
  awaitable<void> Watchdog();
  // Waiting on the client from now on: it has idle_timeout to act.
  void StartIdleClock();
  // A command runs: not idle, whatever it takes.
  void StopIdleClock();

  unix_socket::socket socket_;
  AdminSessionContext& context_;
  asio::steady_timer watchdog_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_ADMIN_SESSION_H_
