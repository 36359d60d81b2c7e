#include "collector/ingest/lifecycle_rules.h"

#include <ctime>
#include <vector>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/store/records.h"
#include "estate/iso_time.h"

namespace estate::collector {
namespace {

bool IsMissing(const v1::Asset& a, int64_t now, int64_t missing_after) {
  if (!a.managed() || !a.merged_into().empty() || a.missing_since() != 0 || a.last_seen() == 0) {
    return false;
  }
  // Only assets expected on the network: deployed or with someone.
  if (a.state() != lifecycle::kDeployed && a.state() != lifecycle::kCheckedOut) return false;
  return a.last_seen() < now - missing_after;
}

bool IsOverdue(const v1::Asset& a, int64_t now) {
  return a.state() == lifecycle::kCheckedOut && a.custody().due() != 0 && a.custody().due() < now &&
         !a.overdue_raised();
}

}  // namespace

Result<nlohmann::json> RunLifecycleRules(Store& store, Ingestor& ingestor,
                                         const std::string& actor) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const int64_t missing_after = ingestor.reconcile_options().missing_after_s;
  std::vector<std::string> candidates;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kAssets, "", [&](std::string_view id, std::string_view v) {
        v1::Asset a;
        if (a.ParseFromArray(v.data(), static_cast<int>(v.size())) &&
            (IsMissing(a, now, missing_after) || IsOverdue(a, now))) {
          candidates.emplace_back(id);
        }
        return true;
      }));
  if (candidates.empty()) return nlohmann::json{{"missing", 0}, {"overdue", 0}};
  return ingestor.Mutate(actor, [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
    uint64_t missing = 0, overdue = 0;
    for (const auto& id : candidates) {
      auto loaded = GetRecord<v1::Asset>(ctx.batch, Table::kAssets, id);
      if (!loaded.ok()) return loaded.status();
      if (!loaded->has_value()) continue;
      v1::Asset a = **loaded;
      // Re-checked here: a report may have arrived since the scan.
      if (IsMissing(a, ctx.now_s(), missing_after)) {
        a.set_missing_since(a.last_seen());
        v1::Event e;
        e.set_kind("missing");
        e.set_severity("medium");
        e.set_source(ctx.actor);
        e.set_summary("not seen for " + std::to_string((ctx.now_s() - a.last_seen()) / 86400) +
                      " days (last seen " + std::to_string(a.last_seen()) + ")");
        ctx.events.Raise(ctx.batch, &a, ctx.now_micros, std::move(e));
        ++missing;
      }
      if (IsOverdue(a, ctx.now_s())) {
        a.set_overdue_raised(true);
        v1::Event e;
        e.set_kind("overdue");
        e.set_severity("medium");
        e.set_source(ctx.actor);
        e.set_summary("checked out to " + a.custody().holder() + ", due " +
                      FormatIsoUtc(a.custody().due()) + ", not returned");
        ctx.events.Raise(ctx.batch, &a, ctx.now_micros, std::move(e));
        ++overdue;
      }
      PutRecord(ctx.batch, Table::kAssets, id, a);
    }
    return nlohmann::json{{"missing", missing}, {"overdue", overdue}};
  });
}

}  // namespace estate::collector
