// SnmpSession: the transport to one device. Requests go out one at a time per
// device and each is answered exactly once through its callback.
//
// Implementations: LiveSession (net-snmp, answered later from the engine's
// event loop) and ReplaySession (a recorded walk, answered before Send
// returns). Tests break single calls with a forwarding wrapper. A session is
// used from one thread.
#ifndef ESTATE_PLUGINS_SNMP_SNMP_SESSION_H_
#define ESTATE_PLUGINS_SNMP_SNMP_SESSION_H_

#include <functional>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/snmp/varbind.h"

namespace estate::plugins::snmp {

struct SnmpRequest {
  enum class Kind { kGet, kGetNext, kGetBulk };
  Kind kind = Kind::kGet;
  std::vector<Oid> oids;
  int max_repetitions = 0;  // GetBulk only
  // "" for the default context; otherwise a VLAN number, reached as
  // community@VLAN (v1/v2c) or context name "vlan-VLAN" (v3).
  std::string context;
};

// net-snmp #defines max_repetitions; code that includes its headers reads the field here.
inline int MaxRepetitionsOf(const SnmpRequest& request) { return request.max_repetitions; }

struct SnmpResponse {
  int error_status = 0;  // 0 noError, 1 tooBig, 2 noSuchName (v1), ...
  int error_index = 0;
  std::vector<VarBind> varbinds;
};

class SnmpSession {
 public:
  // Unavailable = no answer within the timeout and retries.
  using Callback = std::function<void(Result<SnmpResponse>)>;

  virtual ~SnmpSession() = default;
  virtual void Send(const SnmpRequest& request, Callback done) = 0;
  // "v1", "v2c" or "v3": decides GetBulk vs GetNext.
  virtual std::string Version() const = 0;
};

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_SNMP_SESSION_H_
