// An audit's answer: every asset it expected, found or missed, and what it
// found without expecting. Evidence is discovery during the audit (a source
// — agent or scanner — that reported the asset since the start) and people's
// confirmations. Reads the store; thread-compatible.
#ifndef ESTATE_COLLECTOR_ADMIN_AUDIT_REPORT_H_
#define ESTATE_COLLECTOR_ADMIN_AUDIT_REPORT_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/admin/asset_filter.h"
#include "collector/store/store.h"
#include "estate/v1/audit.pb.h"

namespace estate::collector {

namespace audit_status {
inline constexpr const char* kFound = "found";            // expected, seen or confirmed
inline constexpr const char* kMoved = "moved";            // found, elsewhere than recorded
inline constexpr const char* kMissing = "missing";        // expected, no evidence
inline constexpr const char* kUnexpected = "unexpected";  // found, registered elsewhere
inline constexpr const char* kShadow = "shadow";          // found, not registered at all
}  // namespace audit_status

struct AuditRow {
  std::string status;
  bool expected = false;
  std::string asset_id, code, tag, serial, hostname, asset_class;
  std::string recorded_location;  // the register's
  std::string seen_location;      // where the network or a person placed it
  std::string seen_basis;         // "confirmed by user:alice", "switch sw1 port Gi1/0/3"
  std::string evidence;           // "agent", "scanner", "confirmed", joined by '+'
  std::string confirmed_by;
  int64_t confirmed_at = 0;
};

struct AuditReport {
  std::vector<AuditRow> rows;  // expected ones in id order, then the others
  std::map<std::string, uint64_t> counts;
  uint64_t expected = 0;
};

// The scope's filter, from the options the audit was started with.
Result<AssetFilter> AuditScopeFilter(Store& store, const v1::Audit& audit, int64_t now_s);

// An open audit is computed from the store as it is now; a closed one shows
// the outcomes recorded at close.
Result<AuditReport> BuildAuditReport(Store& store, const v1::Audit& audit, int64_t now_s);

nlohmann::json AuditRowJson(const AuditRow& row);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_AUDIT_REPORT_H_
