// DeviceCollector: the inventory of one device as a state machine without I/O.
// It says which request to send next (NextRequest), takes each answer
// (OnResponse) and, when nothing is left, maps what it fetched into a
// NetworkDevice (Finish). Identification first (system group), then one
// GETNEXT probing the enterprise subtrees the matching definitions require
// (has_oid) when any do, then the scalars of the definitions that hold,
// then the standard MIBs and the matching
// vendor plugins' subtrees, then their follow-ups (per-VLAN contexts).
//
// Walks stop at the end of their subtree, at an OID that does not increase
// (a looping agent), at the per-device OID cap or time cap, and on a timeout;
// each early stop becomes a warning on the device. Not thread-safe; the
// registries it borrows must outlive it.
#ifndef ESTATE_PLUGINS_SNMP_DEVICE_COLLECTOR_H_
#define ESTATE_PLUGINS_SNMP_DEVICE_COLLECTOR_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "estate/status.h"
#include "estate/v1/observations.pb.h"
#include "plugins/snmp/definitions.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/snmp_session.h"
#include "plugins/snmp/vendor_plugin.h"

namespace estate::plugins::snmp {

struct CollectLimits {
  size_t max_oids = 100000;                    // values kept per device
  std::chrono::milliseconds max_time{120000};  // wall time per device
  int max_repetitions = 25;                    // GetBulk
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

class DeviceCollector {
 public:
  DeviceCollector(std::string ip, std::string snmp_version, const PluginRegistry& plugins,
                  const EnterpriseRegistry* enterprises, CollectLimits limits = {});

  // The next request, or nullopt when the collection is complete.
  std::optional<SnmpRequest> NextRequest();
  void OnResponse(Result<SnmpResponse> response);

  // True once the device answered identification.
  bool identified() const { return identified_; }
  // True while the first request (identification) has not been answered.
  bool awaiting_identification() const { return !identified_ && !done_; }
  size_t values() const { return values_; }
  size_t requests() const { return requests_; }

  // Maps everything fetched. Call once, after NextRequest returned nullopt.
  v1::NetworkDevice Finish();

 private:
  void Plan();
  // Confirms the definitions against what the probes found and queues the
  // scalars of those that hold.
  void PlanScalars();
  void OnProbes(SnmpResponse& response);
  void OnScalars(SnmpResponse& response);
  void OnIdentify(SnmpResponse& response);
  void OnWalk(SnmpResponse& response);
  void StepDone();
  void Abort(const std::string& warning);
  MibView& ViewFor(const std::string& context);

  std::string ip_;
  std::string version_;
  const PluginRegistry& plugins_;
  const EnterpriseRegistry* enterprises_;
  CollectLimits limits_;
  std::chrono::steady_clock::time_point deadline_;

  DeviceData data_;
  std::vector<const VendorPlugin*> matched_;
  std::vector<DefinitionMatch> definitions_;
  bool confirmed_ = false;  // definitions_ checked against their has_oid probes
  // The walks planned, so that a scalar a walk fetches anyway is not asked.
  std::vector<WalkStep> planned_;
  // The has_oid subtrees to probe, in batches: one GETNEXT for all of them,
  // split only when the agent answers tooBig.
  std::deque<std::vector<Oid>> probes_;
  std::optional<SnmpRequest> probe_request_;  // in flight
  // The matched definitions' scalars not covered by a walk: exact instances
  // (GET) and first rows (GETNEXT), asked for before the walks.
  std::deque<Oid> gets_, nexts_;
  std::optional<SnmpRequest> scalar_request_;  // in flight
  std::deque<WalkStep> queue_;
  std::optional<WalkStep> current_;
  std::optional<Oid> last_;  // last OID received in the current walk
  size_t step_values_ = 0;
  int repetitions_;
  bool identified_ = false;
  bool identify_by_walk_ = false;
  bool followed_up_ = false;
  bool done_ = false;
  size_t values_ = 0;
  size_t requests_ = 0;
  std::vector<std::string> warnings_;
  // Tables mapped as soon as their last column arrives (then dropped from the
  // view): the installed-software list is most of a server's values.
  v1::NetworkDevice early_;
  std::map<uint32_t, int> software_rows_;
};

// Runs a collector against a session that answers synchronously (replay, walk
// files). A session that does not answer before Send returns ends the run with
// a warning.
v1::NetworkDevice CollectSync(DeviceCollector& collector, SnmpSession& session);

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_DEVICE_COLLECTOR_H_
