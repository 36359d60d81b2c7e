// The time-based rules of the ITAM records: a licensed product whose installs
// pass what its valid licences entitle raises licence_exceeded (once, until
// it is compliant again, which raises licence_compliant); a licence or
// contract nearing its end raises an expiring event at each warning day
// (expiry_warning_days, default 90, 30 and 7 days before) and an expired event after it; a
// contract's renewal notice raises contract_notice on the last day to give
// notice. Each fires once per record and end date (markers in the findings
// table), so a renewal (a new end date) warns again. `now_s` is injected so
// tests can move time; the collector's periodic rules and `estatectl rules`
// pass the clock.
#ifndef ESTATE_COLLECTOR_ADMIN_ITAM_RULES_H_
#define ESTATE_COLLECTOR_ADMIN_ITAM_RULES_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/ingest/ingestor.h"
#include "collector/store/store.h"

namespace estate::collector {

inline const std::vector<int> kDefaultExpiryWarnings = {90, 30, 7};

// The warning day a record `days_left` from its end falls in: the smallest
// of `warnings` >= days_left; -1 when further away than all of them.
int ExpiryWarning(int64_t days_left, const std::vector<int>& warnings);

// {"licence_exceeded": N, "licence_compliant": N, "expiring": N, "expired": N,
//  "contract_notice": N} raised in this run, warning at `warnings` days
// before an end.
Result<nlohmann::json> RunItamRules(Store& store, Ingestor& ingestor, const std::string& actor,
                                    int64_t now_s, const std::vector<int>& warnings);
// The same at the days estated is configured with (expiry_warning_days).
Result<nlohmann::json> RunItamRules(Store& store, Ingestor& ingestor, const std::string& actor,
                                    int64_t now_s);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ITAM_RULES_H_
