// Where audits live: the audit itself in the settings table
// ("audit\0<name>" -> v1::Audit), each confirmation beside it
// ("audit_confirm\0<name>\0<code in lower case>" -> v1::AuditConfirmation),
// each asset's outcome once closed ("audit_result\0<name>\0<asset id>" ->
// outcome), and per asset its last audit in the findings table
// ("audited\0<asset id>" -> v1::AssetAudit). Names are kept in lower case.
#ifndef ESTATE_COLLECTOR_ADMIN_AUDIT_RECORDS_H_
#define ESTATE_COLLECTOR_ADMIN_AUDIT_RECORDS_H_

#include <map>
#include <string>
#include <vector>

#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/audit.pb.h"

namespace estate::collector {

std::string AuditKey(std::string_view name);
std::string AuditPrefix();
std::string AuditConfirmationKey(std::string_view name, std::string_view code);
std::string AuditConfirmationPrefix(std::string_view name);
std::string AuditResultKey(std::string_view name, std::string_view asset_id);
std::string AuditResultPrefix(std::string_view name);
std::string AssetAuditKey(std::string_view asset_id);

// An audit name as typed: letters, digits, '-', '_' and '.', up to 64;
// InvalidArgument naming NAME otherwise. Returns it in lower case.
Result<std::string> CheckAuditName(std::string_view name);

// NotFound naming the audit and `audit list` when there is none.
Result<v1::Audit> LoadAudit(ReadView& view, std::string_view name);
Result<std::vector<v1::Audit>> LoadAudits(Store& store);
// Its confirmations by lower-case code.
Result<std::map<std::string, v1::AuditConfirmation>> LoadConfirmations(Store& store,
                                                                       std::string_view name);
// Outcomes recorded at close, by asset id.
Result<std::map<std::string, std::string>> LoadAuditResults(Store& store, std::string_view name);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_AUDIT_RECORDS_H_
