#include "collector/admin/commands/policy_rescan.h"

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/store/keys.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {

Result<uint64_t> RescanSoftwarePolicy(ReconcileContext& ctx, Store& store,
                                      const std::optional<v1::SoftwareRule>& added,
                                      const std::string& removed_id,
                                      const std::string& ignored_name) {
  auto loaded = SoftwarePolicy::Load(store, ctx.options.software);
  if (!loaded.ok()) return loaded.status();
  std::vector<v1::SoftwareRule> rules;
  for (const auto& r : loaded->rules()) {
    if (r.id() != removed_id) rules.push_back(r);
  }
  if (added) rules.push_back(*added);
  std::set<std::string> ignored = loaded->ignored();
  if (!ignored_name.empty()) ignored.insert(ignored_name);
  const SoftwarePolicy policy(std::move(rules), std::move(ignored), ctx.options.software);
  ReconcileContext rescan{ctx.batch, ctx.events, ctx.options, policy, ctx.now_micros, ctx.actor};

  // Facts keys are "<asset id>\0<node id>": one agent's facts per asset is enough.
  uint64_t count = 0;
  std::string last_asset;
  Status failure;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kFacts, "", [&](std::string_view key, std::string_view value) {
        const std::string asset_id(key.substr(0, key.find('\0')));
        if (asset_id == last_asset) return true;
        last_asset = asset_id;
        v1::HostFacts facts;
        if (!facts.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
        auto asset = LoadAsset(ctx.batch, asset_id);
        if (!asset.ok()) {
          failure = asset.status();
          return false;
        }
        if (!asset->has_value()) return true;
        failure = RefreshSoftwareFindings(rescan, **asset, facts);
        ++count;
        return failure.ok();
      }));
  ESTATE_RETURN_IF_ERROR(failure);
  return count;
}

}  // namespace estate::collector
