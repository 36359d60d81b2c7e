#include "collector/admin/asset_lookup.h"

#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {

Result<v1::Asset> LookupAsset(ReadView& view, const std::string& what) {
  auto direct = LoadAsset(view, what);
  if (!direct.ok()) return direct.status();
  if (direct->has_value()) return **direct;

  std::vector<std::pair<std::string_view, std::string>> candidates;
  if (auto mac = NormalizeMac(what)) candidates.emplace_back(identity::kMac, *mac);
  const std::string lower = ToLower(what);
  candidates.emplace_back(identity::kIp, what);
  candidates.emplace_back(identity::kAssetTag, what);
  candidates.emplace_back(identity::kSerial, what);
  candidates.emplace_back(identity::kHostname, lower);
  candidates.emplace_back(identity::kFqdn, lower);
  candidates.emplace_back(identity::kDmiUuid, lower);
  candidates.emplace_back(identity::kMachineId, lower);
  for (const auto& [kind, value] : candidates) {
    auto hit = view.Get(Table::kIdentity, IdentityKey(kind, value));
    if (!hit.ok()) return hit.status();
    if (!hit->has_value()) continue;
    auto asset = LoadAsset(view, **hit);
    if (!asset.ok()) return asset.status();
    if (asset->has_value()) return **asset;
  }
  return Status::NotFound("no asset matches '" + what +
                          "' (tried asset id, MAC, IP, asset tag, serial, host name, UUID, "
                          "machine-id)");
}

}  // namespace estate::collector
