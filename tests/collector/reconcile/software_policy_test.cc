#include "collector/reconcile/software_policy.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

v1::SoftwareRule Rule(std::string id, std::string pattern, std::string verdict) {
  v1::SoftwareRule r;
  r.set_id(std::move(id));
  r.set_kind("package");
  r.set_pattern(std::move(pattern));
  r.set_verdict(std::move(verdict));
  return r;
}

v1::Package Package(std::string name, std::vector<std::string> origins, bool distribution,
                    std::string publisher = "") {
  v1::Package p;
  p.set_name(std::move(name));
  p.set_version("1.10-47");
  p.set_publisher(std::move(publisher));
  for (auto& o : origins) p.add_origins(std::move(o));
  p.set_distribution(distribution);
  return p;
}

TEST(SoftwarePolicy, APackageNamePatternBeatsAPublisherRule) {
  auto publisher = Rule("1", "*", "approved");
  publisher.set_publisher("*@*debian.org*");
  const SoftwarePolicy policy({publisher, Rule("2", "netcat*", "prohibited")}, {}, {});
  const auto d = policy.ExplainPackage(
      Package("netcat-traditional", {"Debian/bookworm"}, true, "M <m@debian.org>"), "");
  EXPECT_EQ(d.verdict, verdict::kProhibited);
  ASSERT_NE(d.rule, nullptr);
  EXPECT_EQ(d.rule->id(), "2");
}

TEST(SoftwarePolicy, APackageNameBeatsAnOriginRuleEvenWithAClass) {
  auto origin = Rule("1", "*", "approved");
  origin.set_origin("Debian");
  origin.set_asset_class("server");
  const SoftwarePolicy policy({origin, Rule("2", "netcat-traditional", "unapproved")}, {}, {});
  EXPECT_EQ(
      policy.PackageVerdict(Package("netcat-traditional", {"Debian/bookworm"}, true), "server"),
      verdict::kUnapproved);
  // An exact name beats a name pattern.
  const SoftwarePolicy names(
      {Rule("1", "netcat*", "prohibited"), Rule("2", "netcat-traditional", "approved")}, {}, {});
  EXPECT_EQ(names.ExplainPackage(Package("netcat-traditional", {}, false), "").rule->id(), "2");
}

TEST(SoftwarePolicy, TheShippedDefaultApprovesTheDistributionsArchiveOnly) {
  const SoftwarePolicy policy({}, {}, {});
  const auto debian = policy.ExplainPackage(Package("bash", {"Debian/bookworm"}, true), "");
  EXPECT_EQ(debian.verdict, verdict::kApproved);
  ASSERT_NE(debian.rule, nullptr);
  EXPECT_EQ(debian.rule->id(), kDistributionRuleId);
  EXPECT_EQ(policy.PackageVerdict(Package("chrome", {"Google LLC/stable"}, false), ""),
            verdict::kUnknown);
  EXPECT_EQ(policy.PackageVerdict(Package("tool", {"local"}, false), ""), verdict::kUnknown);
  // distribution_software = flag: the default rule is gone.
  SoftwarePolicyOptions off;
  off.approve_distribution = false;
  EXPECT_EQ(SoftwarePolicy({}, {}, off)
                .ExplainPackage(Package("bash", {"Debian/bookworm"}, true), "")
                .rule,
            nullptr);
}

TEST(SoftwarePolicy, OriginAndSuiteRulesMatchTheReportedOrigins) {
  auto google = Rule("1", "*", "approved");
  google.set_origin("Google*");
  auto security = Rule("2", "*", "unapproved");
  security.set_origin("Debian");
  security.set_suite("*-security");
  SoftwarePolicyOptions off;
  off.approve_distribution = false;
  const SoftwarePolicy policy({google, security}, {}, off);
  EXPECT_EQ(policy.PackageVerdict(Package("chrome", {"Google LLC/stable"}, false), ""),
            verdict::kApproved);
  EXPECT_EQ(policy.PackageVerdict(Package("curl", {"Debian/bookworm-security"}, true), ""),
            verdict::kUnapproved);
  EXPECT_EQ(policy.PackageVerdict(Package("bash", {"Debian/bookworm"}, true), ""),
            verdict::kUnknown);
  // A package reported without origins (an older agent) matches no origin rule.
  EXPECT_EQ(policy.PackageVerdict(Package("chrome", {}, false), ""), verdict::kUnknown);
}

TEST(SoftwarePolicy, OriginRulesAreForPackagesOnly) {
  auto rule = Rule("", "sshd", "approved");
  rule.set_kind("service");
  rule.set_origin("Debian");
  EXPECT_FALSE(ValidateRule(&rule).ok());
}

}  // namespace
}  // namespace estate::collector
