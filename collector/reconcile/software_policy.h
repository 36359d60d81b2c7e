// SoftwarePolicy: which software and listening services are approved,
// unapproved or prohibited, from the admins' rules (`estatectl approve`,
// `estatectl policy`). Among matching rules the most specific wins (asset
// class, exact name, version range, publisher); on a tie the stricter verdict.
// Software no rule matches is "unknown": a finding unless the collector is
// configured to allow unknown software.
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
};

class SoftwarePolicy {
 public:
  SoftwarePolicy() = default;
  SoftwarePolicy(std::vector<v1::SoftwareRule> rules, std::set<std::string> ignored,
                 SoftwarePolicyOptions options);
  // The rules and ignores kept in the store's policy table.
  static Result<SoftwarePolicy> Load(Store& store, SoftwarePolicyOptions options);

  std::string_view PackageVerdict(const v1::Package& package, std::string_view asset_class) const;
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
  std::string_view Decide(std::string_view kind, std::string_view name, std::string_view version,
                          std::string_view publisher, uint32_t port,
                          std::string_view asset_class) const;

  std::vector<v1::SoftwareRule> rules_;
  std::set<std::string> ignored_;  // software names silenced by `estatectl ignore`
  SoftwarePolicyOptions options_;
};

// Checks a rule an admin typed; fills defaults (kind package).
Status ValidateRule(v1::SoftwareRule* rule);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_SOFTWARE_POLICY_H_
