// AdminCommand: one estatectl command, run by the collector on behalf of a
// caller on the admin socket. Commands are plain synchronous functions over the
// store, testable without sockets; one command per file under commands/.
#ifndef ESTATE_COLLECTOR_ADMIN_ADMIN_COMMAND_H_
#define ESTATE_COLLECTOR_ADMIN_ADMIN_COMMAND_H_

#include <sys/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/ingest/ingestor.h"
#include "collector/net/server_counters.h"
#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

// Who is calling, from SO_PEERCRED (never from the request).
struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
  std::string user;
  // How changes made by this caller are attributed in history.
  std::string Actor() const { return "user:" + (user.empty() ? std::to_string(uid) : user); }
};

struct AdminContext {
  Store& store;
  const ServerCounters& server_counters;
  Ingestor& ingestor;
  Caller caller;
  int64_t started_at = 0;  // collector start, Unix epoch seconds
};

class AdminCommand {
 public:
  virtual ~AdminCommand() = default;
  virtual std::string Name() const = 0;
  virtual std::string Help() const = 0;
  virtual Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ADMIN_COMMAND_H_
