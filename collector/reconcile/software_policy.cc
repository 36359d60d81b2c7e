#include "collector/reconcile/software_policy.h"

#include <fnmatch.h>

#include "collector/store/keys.h"
#include "estate/text.h"
#include "estate/version_compare.h"

namespace estate::collector {
namespace {

bool GlobMatches(const std::string& pattern, std::string_view value) {
  if (pattern.empty() || pattern == "*") return true;
  return ::fnmatch(pattern.c_str(), std::string(value).c_str(), FNM_CASEFOLD) == 0;
}

bool HasWildcard(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

// kRuleOrder as a number: the name tier first, so that no combination of
// publisher, origin, class or version can outrank a rule naming the package.
int Specificity(const v1::SoftwareRule& rule) {
  const bool any_name = rule.pattern().empty() || rule.pattern() == "*";
  const int name_tier = any_name ? 0 : (HasWildcard(rule.pattern()) ? 1 : 2);
  int score = name_tier * 16;
  if (!rule.asset_class().empty()) score += 8;
  if (!rule.min_version().empty() || !rule.max_version().empty() || rule.port() != 0) score += 4;
  if (!rule.publisher().empty() || !rule.origin().empty() || !rule.suite().empty()) score += 2;
  return score;
}

v1::SoftwareRule DistributionRule() {
  v1::SoftwareRule rule;
  rule.set_id(std::string(kDistributionRuleId));
  rule.set_kind("package");
  rule.set_pattern("*");
  rule.set_origin("@distribution");
  rule.set_verdict(std::string(verdict::kApproved));
  rule.set_added_by("estated (shipped default; distribution_software = flag turns it off)");
  rule.set_reason("the running distribution's own archive");
  return rule;
}

int Strictness(std::string_view v) {
  if (v == verdict::kProhibited) return 2;
  if (v == verdict::kUnapproved) return 1;
  return 0;
}

bool IsLoopback(std::string_view address) {
  return StartsWith(address, "127.") || address == "::1" || address == "::ffff:127.0.0.1";
}

}  // namespace

SoftwarePolicy::SoftwarePolicy(std::vector<v1::SoftwareRule> rules, std::set<std::string> ignored,
                               SoftwarePolicyOptions options)
    : rules_(std::move(rules)), ignored_(std::move(ignored)), options_(options) {
  if (options_.approve_distribution) rules_.push_back(DistributionRule());
}

bool OriginMatches(const v1::SoftwareRule& rule, const v1::Package& package) {
  if (rule.origin().empty() && rule.suite().empty()) return true;
  const bool distribution = rule.origin() == "@distribution";
  if (distribution && !package.distribution()) return false;
  if (distribution && rule.suite().empty()) return true;
  for (const auto& entry : package.origins()) {
    const size_t slash = entry.rfind('/');
    const std::string_view name = slash == std::string::npos
                                      ? std::string_view(entry)
                                      : std::string_view(entry).substr(0, slash);
    const std::string_view suite =
        slash == std::string::npos ? std::string_view() : std::string_view(entry).substr(slash + 1);
    if (!distribution && !rule.origin().empty() && !GlobMatches(rule.origin(), name)) continue;
    if (!rule.suite().empty() && !GlobMatches(rule.suite(), suite)) continue;
    return true;
  }
  return false;
}

Result<SoftwarePolicy> SoftwarePolicy::Load(Store& store, SoftwarePolicyOptions options) {
  std::vector<v1::SoftwareRule> rules;
  Status parse_error;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kPolicy, RulePrefix(), [&](std::string_view, std::string_view value) {
        v1::SoftwareRule rule;
        if (!rule.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse_error = Status::Corruption("unparsable software rule");
          return false;
        }
        rules.push_back(std::move(rule));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(parse_error);
  std::set<std::string> ignored;
  const std::string prefix = IgnorePrefix("software");
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kPolicy, prefix, [&](std::string_view key, std::string_view) {
        ignored.insert(std::string(key.substr(prefix.size())));
        return true;
      }));
  return SoftwarePolicy(std::move(rules), std::move(ignored), options);
}

bool RuleNameMatches(const v1::SoftwareRule& rule, std::string_view name) {
  return GlobMatches(rule.pattern(), name);
}

bool PackageRuleMatches(const v1::SoftwareRule& rule, std::string_view name,
                        std::string_view version, std::string_view publisher) {
  if (!GlobMatches(rule.pattern(), name)) return false;
  if (!rule.publisher().empty() && !GlobMatches(rule.publisher(), publisher)) return false;
  if (!rule.min_version().empty() && CompareVersions(version, rule.min_version()) < 0) return false;
  if (!rule.max_version().empty() && CompareVersions(version, rule.max_version()) > 0) return false;
  return true;
}

PolicyDecision SoftwarePolicy::Decide(std::string_view kind, std::string_view name,
                                      std::string_view version, std::string_view publisher,
                                      uint32_t port, std::string_view asset_class,
                                      const v1::Package* package) const {
  const v1::SoftwareRule* best = nullptr;
  int best_score = -1;
  for (const auto& rule : rules_) {
    if (rule.kind() != kind) continue;
    if (!rule.asset_class().empty() && rule.asset_class() != asset_class) continue;
    if (!PackageRuleMatches(rule, name, version, publisher)) continue;
    if (rule.port() != 0 && rule.port() != port) continue;
    if ((!rule.origin().empty() || !rule.suite().empty()) &&
        (package == nullptr || !OriginMatches(rule, *package))) {
      continue;
    }
    const int score = Specificity(rule);
    if (score > best_score ||
        (score == best_score && Strictness(rule.verdict()) > Strictness(best->verdict()))) {
      best = &rule;
      best_score = score;
    }
  }
  if (!best) return {verdict::kUnknown, nullptr};
  if (best->verdict() == verdict::kProhibited) return {verdict::kProhibited, best};
  if (best->verdict() == verdict::kUnapproved) return {verdict::kUnapproved, best};
  return {verdict::kApproved, best};
}

PolicyDecision SoftwarePolicy::ExplainPackage(const v1::Package& package,
                                              std::string_view asset_class) const {
  return Decide("package", package.name(), package.version(), package.publisher(), 0, asset_class,
                &package);
}

std::string_view SoftwarePolicy::ServiceVerdict(std::string_view process, uint32_t port,
                                                std::string_view asset_class) const {
  return Decide("service", process, "", "", port, asset_class, nullptr).verdict;
}

v1::SoftwareFindings SoftwarePolicy::EvaluateServices(
    const google::protobuf::RepeatedPtrField<v1::ListeningSocket>& sockets,
    std::string_view asset_class) const {
  v1::SoftwareFindings out;
  // A listener on a routable address is a service others can reach; loopback
  // and UDP (DHCP clients, mDNS) are left out as noise.
  std::set<std::pair<std::string, uint32_t>> seen;
  for (const auto& socket : sockets) {
    if (!StartsWith(socket.protocol(), "tcp") || IsLoopback(socket.address())) continue;
    const std::string process = socket.process().empty() ? "?" : socket.process();
    if (!seen.insert({process, socket.port()}).second) continue;
    if (ignored_.count(process)) continue;
    const std::string_view v = ServiceVerdict(process, socket.port(), asset_class);
    if (v == verdict::kApproved) continue;
    if (v == verdict::kUnknown && !options_.flag_unknown_services) continue;
    auto* f = out.add_findings();
    f->set_kind("service");
    f->set_name(process);
    f->set_version("tcp/" + std::to_string(socket.port()));
    f->set_verdict(std::string(v));
  }
  return out;
}

Status ValidateRule(v1::SoftwareRule* rule) {
  if (rule->kind().empty()) rule->set_kind("package");
  if (rule->kind() != "package" && rule->kind() != "service") {
    return Status::InvalidArgument("rule kind must be package or service");
  }
  if (rule->pattern().empty()) return Status::InvalidArgument("a rule needs a name pattern");
  if (rule->kind() == "service" && (!rule->origin().empty() || !rule->suite().empty())) {
    return Status::InvalidArgument("origin and suite apply to packages, not services");
  }
  if (rule->verdict() != verdict::kApproved && rule->verdict() != verdict::kUnapproved &&
      rule->verdict() != verdict::kProhibited) {
    return Status::InvalidArgument("verdict must be approved, unapproved or prohibited");
  }
  if (!rule->min_version().empty() && !rule->max_version().empty() &&
      CompareVersions(rule->min_version(), rule->max_version()) > 0) {
    return Status::InvalidArgument("min version is above max version");
  }
  return Status::Ok();
}

}  // namespace estate::collector
