// AdminSession: one estatectl connection on the admin Unix socket. The caller's
// identity comes from SO_PEERCRED, its groups from SO_PEERGROUPS, its role from
// the RoleMap; commands run on the admin thread pool so a long report never
// stalls agent I/O.
#ifndef ESTATE_COLLECTOR_NET_ADMIN_SESSION_H_
#define ESTATE_COLLECTOR_NET_ADMIN_SESSION_H_

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
};

class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(unix_socket::socket socket, AdminSessionContext& context);
  awaitable<void> Run();

 private:
  Caller PeerCredentials();

  unix_socket::socket socket_;
  AdminSessionContext& context_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_ADMIN_SESSION_H_
