// AdminCommand: one estatectl command, run by the collector on behalf of a
// caller on the admin socket. Commands are plain synchronous functions over the
// store, testable without sockets; one command per file under commands/.
#ifndef ESTATE_COLLECTOR_ADMIN_ADMIN_COMMAND_H_
#define ESTATE_COLLECTOR_ADMIN_ADMIN_COMMAND_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/admin/access.h"
#include "collector/admin/command_spec.h"
#include "collector/ingest/ingestor.h"
#include "collector/net/server_counters.h"
#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

struct AdminContext {
  Store& store;
  const ServerCounters& server_counters;
  Ingestor& ingestor;
  Caller caller;
  int64_t started_at = 0;  // collector start, Unix epoch seconds
  // Set when the caller was refused, so the session counts and logs a denial
  // apart from ordinary failures (an EACCES from the file system is not one).
  bool denied = false;

  // For checks that depend on the stored record (a state move's origin).
  Status RequireRole(Role needed, std::string_view action) {
    Status status = CheckRole(caller, needed, action);
    if (!status.ok()) denied = true;
    return status;
  }
};

class AdminCommand {
 public:
  virtual ~AdminCommand() = default;
  virtual std::string Name() const = 0;
  // The command's option table: estatectl parses and documents it from this,
  // and the registry refuses a request it does not allow before Run.
  virtual const CommandSpec& Spec() const = 0;
  // The least role that may run this request. Admin unless a command says
  // otherwise, so a command that forgets to declare one is not opened to all.
  virtual Role RequiredRole(const v1::AdminRequest&) const { return Role::kAdmin; }
  // Whether this request may carry AdminRequest.secret (read by estatectl
  // from stdin); a secret sent where none is asked for is refused, not dropped.
  virtual bool AcceptsSecret(const v1::AdminRequest&) const { return false; }
  virtual Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) = 0;
  // The answer as JSON text, what the admin socket sends. A command whose
  // answer is large (a host's facts) writes the text itself.
  virtual Result<std::string> RunToText(const v1::AdminRequest& request, AdminContext& context) {
    auto result = Run(request, context);
    if (!result.ok()) return result.status();
    return result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ADMIN_COMMAND_H_
