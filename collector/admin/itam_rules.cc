#include "collector/admin/itam_rules.h"

#include <algorithm>
#include <set>

#include "collector/admin/contract_records.h"
#include "collector/admin/licence_compliance.h"
#include "collector/admin/money.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/store/keys.h"

namespace estate::collector {
namespace {

// Unlicensed hosts named in a licence_exceeded event (its summary stops at
// ~200 characters anyway).
constexpr size_t kEventHosts = 32;

// An end-of-term record either kind has.
struct Term {
  std::string kind;  // licence, contract
  std::string id, end, summary;
  uint32_t notice_days = 0;
};

std::string Marker(const Term& t, const std::string& what) {
  return FindingsKey("itam", t.kind + '\0' + t.id + '\0' + t.end + '\0' + what);
}

const char* Severity(int warning) {
  return warning <= 7 ? "high" : warning <= 30 ? "medium" : "low";
}

}  // namespace

int ExpiryWarning(int64_t days_left, const std::vector<int>& warnings) {
  int best = -1;
  for (int w : warnings) {
    if (days_left <= w && (best < 0 || w < best)) best = w;
  }
  return best;
}

Result<nlohmann::json> RunItamRules(Store& store, Ingestor& ingestor, const std::string& actor,
                                    int64_t now_s) {
  return RunItamRules(store, ingestor, actor, now_s,
                      ingestor.reconcile_options().expiry_warning_days);
}

Result<nlohmann::json> RunItamRules(Store& store, Ingestor& ingestor, const std::string& actor,
                                    int64_t now_s, const std::vector<int>& warnings) {
  const int64_t today = DayOfTime(now_s);
  // Read-only work first, off the writer (compliance reads the title index,
  // filling it on the writer for titles it does not hold yet).
  auto licences = LoadLicences(store);
  if (!licences.ok()) return licences.status();
  // The events name a few unlicensed hosts (the counts are exact): no
  // product's whole host list is built.
  auto compliance = ComputeCompliance(store, ingestor.software().catalogue(), *licences, today, "",
                                      IndexedInstalls(ingestor, actor), kEventHosts);
  if (!compliance.ok()) return compliance.status();
  auto contracts = LoadContracts(store);
  if (!contracts.ok()) return contracts.status();
  std::vector<Term> terms;
  for (const auto& l : *licences) {
    if (!l.end().empty()) {
      terms.push_back({"licence", l.id(), l.end(),
                       "licence " + l.id() + " (" + l.product().pattern() + ")", 0});
    }
  }
  for (const auto& c : *contracts) {
    if (!c.end().empty()) {
      terms.push_back(
          {"contract", c.id(), c.end(),
           c.type() + " contract " + c.id() + (c.vendor().empty() ? "" : " with " + c.vendor()),
           c.notice_days()});
    }
  }
  return ingestor.Mutate(actor, [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
    uint64_t exceeded = 0, compliant = 0, expiring = 0, expired = 0, notices = 0;
    auto raise = [&](const std::string& kind, const std::string& severity,
                     const std::string& summary) {
      v1::Event e;
      e.set_kind(kind);
      e.set_severity(severity);
      e.set_source(ctx.actor);
      e.set_summary(summary);
      ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(e));
    };
    // Usage past entitlement, per product.
    std::set<std::string> under;
    for (const auto& p : compliance->at("products")) {
      const std::string product = p.at("product");
      const std::string key = FindingsKey("licence_exceeded", product);
      auto open = ctx.batch.Get(Table::kFindings, key);
      if (!open.ok()) return open.status();
      if (p.at("status") == "under-licensed") {
        if (open->has_value()) continue;
        std::string hosts;
        for (const auto& h : p.at("unlicensed_hosts")) {
          if (hosts.size() > 200) {
            hosts += " ...";
            break;
          }
          hosts += (hosts.empty() ? "" : " ") + h.at("asset_id").get<std::string>();
        }
        raise("licence_exceeded", "high",
              product + ": " + std::to_string(p.at("installs").get<uint64_t>()) + " installs, " +
                  std::to_string(p.at("used").get<uint64_t>()) + " of " +
                  std::to_string(p.at("entitled").get<uint64_t>()) + " entitled used, " +
                  std::to_string(p.at("unlicensed_installs").get<uint64_t>()) +
                  " unlicensed: " + hosts);
        ctx.batch.Put(Table::kFindings, key, "1");
        ++exceeded;
      } else if (open->has_value()) {
        ctx.batch.Delete(Table::kFindings, key);
        raise("licence_compliant", "info", product + ": every install is licensed again");
        ++compliant;
      }
    }
    // Ends and notice periods.
    for (const Term& t : terms) {
      auto end = DaysFromIsoDate(t.end);
      if (!end) continue;
      const int64_t left = *end - today;
      auto fire_once = [&](const std::string& what, const std::string& kind,
                           const std::string& severity,
                           const std::string& summary) -> Result<bool> {
        const std::string key = Marker(t, what);
        auto seen = ctx.batch.Get(Table::kFindings, key);
        if (!seen.ok()) return seen.status();
        if (seen->has_value()) return false;
        ctx.batch.Put(Table::kFindings, key, std::to_string(ctx.now_s()));
        raise(kind, severity, summary);
        return true;
      };
      if (left < 0) {
        auto fired =
            fire_once("expired", t.kind + "_expired", "high", t.summary + " ended on " + t.end);
        if (!fired.ok()) return fired.status();
        expired += *fired;
        continue;
      }
      if (t.notice_days > 0 && left <= t.notice_days) {
        auto fired =
            fire_once("notice", "contract_notice", "medium",
                      t.summary + ": the renewal notice period (" + std::to_string(t.notice_days) +
                          " days) before " + t.end + " has begun");
        if (!fired.ok()) return fired.status();
        notices += *fired;
      }
      const int warning = ExpiryWarning(left, warnings);
      if (warning < 0) continue;
      // Crossing several warning days at once (a record added late) says it once.
      bool said = false;
      for (int w : warnings) {
        if (w < warning) continue;
        auto seen = ctx.batch.Get(Table::kFindings, Marker(t, "warn" + std::to_string(w)));
        if (!seen.ok()) return seen.status();
        said |= w == warning && seen->has_value();
      }
      if (said) continue;
      for (int w : warnings) {
        if (w >= warning) {
          ctx.batch.Put(Table::kFindings, Marker(t, "warn" + std::to_string(w)),
                        std::to_string(ctx.now_s()));
        }
      }
      raise(t.kind + "_expiring", Severity(warning),
            t.summary + " ends on " + t.end + " (in " + std::to_string(left) + " days; the " +
                std::to_string(warning) + "-day warning)");
      ++expiring;
    }
    return nlohmann::json{{"licence_exceeded", exceeded},
                          {"licence_compliant", compliant},
                          {"expiring", expiring},
                          {"expired", expired},
                          {"contract_notice", notices}};
  });
}

}  // namespace estate::collector
