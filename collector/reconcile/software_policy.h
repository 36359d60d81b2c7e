// SoftwarePolicy: which software and listening services are approved,
// unapproved or prohibited, from the admins' rules (`estatectl approve`,
// `estatectl policy`) and the shipped default rule that approves the running
// distribution's own archive. Among matching rules the most specific wins, in
// this order (kRuleOrder): a rule naming the package (exact name, then a name
// pattern) beats one for any name, which only names a publisher or an origin;
// then asset class; then version range or port; then publisher or origin; on
// a tie the stricter verdict. Software no rule matches is "unknown": a finding
// unless the collector is configured to allow unknown software.
//
// Immutable after construction; thread-safe.
#ifndef ESTATE_COLLECTOR_RECONCILE_SOFTWARE_POLICY_H_
#define ESTATE_COLLECTOR_RECONCILE_SOFTWARE_POLICY_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collector/store/store.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

namespace verdict {
inline constexpr std::string_view kApproved = "approved";
inline constexpr std::string_view kUnknown = "unknown";
inline constexpr std::string_view kUnapproved = "unapproved";
inline constexpr std::string_view kProhibited = "prohibited";
}  // namespace verdict

struct SoftwarePolicyOptions {
  bool flag_unknown_software = true;  // unknown packages are findings
  bool flag_unknown_services = true;  // unknown non-loopback TCP listeners are findings
  // The shipped default rule: approve what the running distribution's own
  // archive carries (origin "@distribution").
  bool approve_distribution = true;
};

// The order of precedence, as `estatectl policy` states it.
inline constexpr std::string_view kRuleOrder =
    "the most specific matching rule decides: a rule naming the package (exact name, then a "
    "name pattern) beats a rule for any name that only names a publisher or an origin; then "
    "asset class; then version range or port; then publisher or origin; on a tie the stricter "
    "verdict (prohibited, unapproved, approved)";

// Id of the shipped default rule approving the distribution's own archive.
inline constexpr std::string_view kDistributionRuleId = "default-distribution";

// What a verdict rests on: the deciding rule (nullptr: none matched, unknown).
struct PolicyDecision {
  std::string_view verdict;
  const v1::SoftwareRule* rule = nullptr;
};

class SoftwarePolicy {
 public:
  SoftwarePolicy() = default;
  SoftwarePolicy(std::vector<v1::SoftwareRule> rules, std::set<std::string> ignored,
                 SoftwarePolicyOptions options);
  // The rules and ignores kept in the store's policy table.
  static Result<SoftwarePolicy> Load(Store& store, SoftwarePolicyOptions options);

  std::string_view PackageVerdict(const v1::Package& package, std::string_view asset_class) const {
    return ExplainPackage(package, asset_class).verdict;
  }
  // The verdict and the rule that decided it (valid while the policy lives).
  PolicyDecision ExplainPackage(const v1::Package& package, std::string_view asset_class) const;
  std::string_view ServiceVerdict(std::string_view process, uint32_t port,
                                  std::string_view asset_class) const;
  // Listening services on this host the policy does not approve (ignored
  // names left out). Packages are judged one version at a time (PackageVerdict).
  v1::SoftwareFindings EvaluateServices(
      const google::protobuf::RepeatedPtrField<v1::ListeningSocket>& sockets,
      std::string_view asset_class) const;
  bool Ignored(std::string_view name) const { return ignored_.count(std::string(name)) > 0; }
  bool flags_unknown_services() const { return options_.flag_unknown_services; }

  const std::vector<v1::SoftwareRule>& rules() const { return rules_; }
  bool flags_unknown_software() const { return options_.flag_unknown_software; }
  const std::set<std::string>& ignored() const { return ignored_; }

 private:
  PolicyDecision Decide(std::string_view kind, std::string_view name, std::string_view version,
                        std::string_view publisher, uint32_t port, std::string_view asset_class,
                        const v1::Package* package) const;

  std::vector<v1::SoftwareRule> rules_;
  std::set<std::string> ignored_;  // software names silenced by `estatectl ignore`
  SoftwarePolicyOptions options_;
};

// Whether a package rule's name pattern, publisher glob and version range
// accept the package (class, origin and port aside): the matching licences
// share with the policy.
bool PackageRuleMatches(const v1::SoftwareRule& rule, std::string_view name,
                        std::string_view version, std::string_view publisher);
// Whether the rule's name pattern alone accepts `name` (any case).
bool RuleNameMatches(const v1::SoftwareRule& rule, std::string_view name);

// Checks a rule an admin typed; fills defaults (kind package).
Status ValidateRule(v1::SoftwareRule* rule);

// Whether `rule`'s origin and suite globs accept the package's origins
// ("Origin/suite" entries, "local", "unknown"); true when the rule names none.
bool OriginMatches(const v1::SoftwareRule& rule, const v1::Package& package);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_SOFTWARE_POLICY_H_
