// Periodic validation: a rule per asset class ("laptops every 180 days")
// says how old an asset's last verification may be, and which evidence
// counts — an agent's report, a scanner's sighting, a person's audit
// confirmation. Rules live in the settings table ("verify\0<class>" ->
// "180d agent,scanner,audit"). An asset whose class has a rule and whose
// last verification is older is unverified: `report --unverified` lists
// them, and RunVerificationRules raises asset_unverified once per lapse
// (marker "unverified\0<asset id>" in the findings table, removed once it is
// verified again). `now_s` is injected so tests can move time.
#ifndef ESTATE_COLLECTOR_ADMIN_VERIFICATION_H_
#define ESTATE_COLLECTOR_ADMIN_VERIFICATION_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/ingest/ingestor.h"
#include "collector/store/store.h"
#include "estate/v1/audit.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct VerifyRule {
  int64_t every_s = 0;
  bool agent = true;    // an endpoint agent's report (Estate's or a foreign one)
  bool scanner = true;  // a network scanner's sighting
  bool audit = true;    // a person's confirmation in an audit
};

inline constexpr const char* kVerifyEvidence[] = {"agent", "scanner", "audit"};

std::string VerifyRuleKey(const std::string& asset_class);
std::string VerifyRulePrefix();
// "180d agent,scanner,audit".
std::string FormatVerifyRule(const VerifyRule& rule);
// The stored form, or `every` and `by` as typed (--verify-every, --verify-by:
// a comma-separated list of agent, scanner, audit); errors name the option.
Result<VerifyRule> ParseVerifyRule(const std::string& every, const std::string& by);

// Rules by class, as stored.
Result<std::map<std::string, VerifyRule>> LoadVerifyRules(Store& store);

// The newest evidence the rule counts (0: never verified) and what it was.
struct Verification {
  int64_t at = 0;
  std::string by;  // agent, scanner, audit
};
Verification LastVerification(const v1::Asset& asset, const v1::AssetAudit* audit,
                              const VerifyRule& rule);

// Per asset with a rule and a lapsed verification: {"asset_id", "hostname",
// "class", "last_verified", "verified_by", "every", "overdue_days"}.
Result<nlohmann::json> UnverifiedAssets(Store& store, int64_t now_s);

// Raises asset_unverified for each asset that lapsed since the last run;
// {"unverified": N raised, "reverified": N markers cleared}.
Result<nlohmann::json> RunVerificationRules(Store& store, Ingestor& ingestor,
                                            const std::string& actor, int64_t now_s);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_VERIFICATION_H_
