#include "collector/admin/verification.h"

#include <set>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/audit_records.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/reconcile/peer_kinds.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string DurationText(int64_t s) {
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

// One pass over the assets that have a rule: `visit(asset, rule, verification)`.
template <typename Visit>
Status ForEachRuled(Store& store, const std::map<std::string, VerifyRule>& rules, Visit visit) {
  return ScanLiveAssets(store, [&](const v1::Asset& a) {
    auto rule = rules.find(ToLower(a.asset_class()));
    if (rule == rules.end()) return true;
    auto state = GetRecord<v1::AssetAudit>(store, Table::kFindings, AssetAuditKey(a.id()));
    const v1::AssetAudit* audit = state.ok() && state->has_value() ? &**state : nullptr;
    visit(a, rule->second, LastVerification(a, audit, rule->second));
    return true;
  });
}

}  // namespace

std::string VerifyRuleKey(const std::string& asset_class) {
  return std::string("verify\0", 7) + ToLower(asset_class);
}
std::string VerifyRulePrefix() { return std::string("verify\0", 7); }

std::string FormatVerifyRule(const VerifyRule& rule) {
  std::string by;
  if (rule.agent) by += "agent";
  if (rule.scanner) by += std::string(by.empty() ? "" : ",") + "scanner";
  if (rule.audit) by += std::string(by.empty() ? "" : ",") + "audit";
  return DurationText(rule.every_s) + " " + by;
}

Result<VerifyRule> ParseVerifyRule(const std::string& every, const std::string& by) {
  VerifyRule rule;
  auto seconds = ParseDurationSeconds(every);
  if (!seconds.ok() || *seconds <= 0) {
    return Status::InvalidArgument("--verify-every: '" + SanitizeUtf8(every) +
                                   "' is not a period (180d, 12h)");
  }
  rule.every_s = *seconds;
  if (by.empty()) return rule;
  rule.agent = rule.scanner = rule.audit = false;
  for (auto part : Split(by, ',')) {
    const std::string name = ToLower(Trim(part));
    if (name == "agent") {
      rule.agent = true;
    } else if (name == "scanner") {
      rule.scanner = true;
    } else if (name == "audit") {
      rule.audit = true;
    } else {
      const std::vector<std::string> valid(std::begin(kVerifyEvidence), std::end(kVerifyEvidence));
      return Status::InvalidArgument("--verify-by: '" + SanitizeUtf8(name) +
                                     "' is not evidence (agent, scanner, audit)" +
                                     DidYouMean(name, valid));
    }
  }
  return rule;
}

Result<std::map<std::string, VerifyRule>> LoadVerifyRules(Store& store) {
  std::map<std::string, VerifyRule> rules;
  Status bad;
  const std::string prefix = VerifyRulePrefix();
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSettings, prefix, [&](std::string_view key, std::string_view value) {
        const std::string text(value);
        const size_t space = text.find(' ');
        auto rule = ParseVerifyRule(text.substr(0, space),
                                    space == std::string::npos ? "" : text.substr(space + 1));
        if (!rule.ok()) {
          bad =
              Status::Corruption("verification rule of " + std::string(key.substr(prefix.size())) +
                                 ": " + rule.status().message());
          return false;
        }
        rules.emplace(std::string(key.substr(prefix.size())), *rule);
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return rules;
}

Verification LastVerification(const v1::Asset& asset, const v1::AssetAudit* audit,
                              const VerifyRule& rule) {
  Verification v;
  for (const auto& s : asset.sources()) {
    const bool agent = IsEndpointAgentKind(s.kind());
    if ((agent && rule.agent) || (!agent && rule.scanner)) {
      if (s.last_seen() > v.at) v = {s.last_seen(), agent ? "agent" : "scanner"};
    }
  }
  if (rule.audit && audit != nullptr && audit->last_confirmed() > v.at) {
    v = {audit->last_confirmed(), "audit"};
  }
  return v;
}

Result<nlohmann::json> UnverifiedAssets(Store& store, int64_t now_s) {
  auto rules = LoadVerifyRules(store);
  if (!rules.ok()) return rules.status();
  nlohmann::json out = nlohmann::json::array();
  if (rules->empty()) return out;
  ESTATE_RETURN_IF_ERROR(ForEachRuled(
      store, *rules, [&](const v1::Asset& a, const VerifyRule& rule, const Verification& v) {
        if (v.at > now_s - rule.every_s) return;
        const int64_t due = v.at + rule.every_s;
        out.push_back({{"asset_id", a.id()},
                       {"hostname", a.hostname()},
                       {"class", a.asset_class()},
                       {"last_verified", FormatTime(v.at)},
                       {"verified_by", v.by},
                       {"rule", FormatVerifyRule(rule)},
                       {"overdue_days", v.at ? (now_s - due) / 86400 : -1}});
      }));
  return out;
}

Result<nlohmann::json> RunVerificationRules(Store& store, Ingestor& ingestor,
                                            const std::string& actor, int64_t now_s) {
  auto rules = LoadVerifyRules(store);
  if (!rules.ok()) return rules.status();
  struct Lapse {
    v1::Asset asset;
    VerifyRule rule;
    Verification v;
  };
  std::vector<Lapse> lapsed;
  std::set<std::string> verified;
  // Markers of assets that are fine again (or lost their rule) are cleared.
  const std::string prefix = FindingsPrefix("unverified");
  std::set<std::string> marked;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kFindings, prefix, [&](std::string_view key, std::string_view) {
        marked.emplace(key.substr(prefix.size()));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(ForEachRuled(
      store, *rules, [&](const v1::Asset& a, const VerifyRule& rule, const Verification& v) {
        if (v.at > now_s - rule.every_s) {
          verified.insert(a.id());
        } else if (!marked.count(a.id())) {
          lapsed.push_back({a, rule, v});
        }
      }));
  return ingestor.Mutate(actor, [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
    uint64_t raised = 0, cleared = 0;
    for (const auto& id : marked) {
      if (verified.count(id) || rules->empty()) {
        ctx.batch.Delete(Table::kFindings, FindingsKey("unverified", id));
        ++cleared;
      }
    }
    for (const auto& l : lapsed) {
      ctx.batch.Put(Table::kFindings, FindingsKey("unverified", l.asset.id()),
                    std::to_string(now_s));
      v1::Event e;
      e.set_kind("asset_unverified");
      e.set_severity("medium");
      e.set_source(ctx.actor);
      e.set_summary(l.asset.id() + " (" + l.asset.asset_class() + ") not verified " +
                    (l.v.at ? "since " + FormatTime(l.v.at) + " (" + l.v.by + ")" : "ever") +
                    "; the rule asks every " + FormatVerifyRule(l.rule));
      ctx.events.Raise(ctx.batch, &l.asset, ctx.now_micros, std::move(e), /*snapshot=*/false);
      ++raised;
    }
    return nlohmann::json{{"unverified", raised}, {"reverified", cleared}};
  });
}

}  // namespace estate::collector
