#include "collector/admin/asset_lookup.h"

#include <cctype>

#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string ToUpper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Result<std::optional<std::string>> FindIdentityAnyCase(ReadView& view, std::string_view kind,
                                                       const std::string& value) {
  for (const std::string& variant : {ToLower(value), value, ToUpper(value)}) {
    auto hit = view.Get(Table::kIdentity, IdentityKey(kind, variant));
    if (!hit.ok() || hit->has_value()) return hit;
  }
  return std::optional<std::string>();
}

Status ScanLiveAssets(Store& store, const std::function<bool(const v1::Asset&)>& visit) {
  Status bad;
  v1::Asset asset;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view value) {
        if (!asset.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable asset record");
          return false;
        }
        return !asset.merged_into().empty() || visit(asset);
      }));
  return bad;
}

Result<uint64_t> CountAssets(Store& store) {
  uint64_t count = 0;
  ESTATE_RETURN_IF_ERROR(ScanLiveAssets(store, [&](const v1::Asset&) { return ++count, true; }));
  return count;
}

Result<v1::Asset> LookupAsset(ReadView& view, const std::string& what) {
  auto direct = LoadAsset(view, what);
  if (!direct.ok()) return direct.status();
  if (direct->has_value()) return **direct;

  std::vector<std::pair<std::string_view, std::string>> candidates;
  if (auto mac = NormalizeMac(what)) candidates.emplace_back(identity::kMac, *mac);
  const std::string lower = ToLower(what);
  candidates.emplace_back(identity::kIp, what);
  candidates.emplace_back(identity::kHostname, lower);
  candidates.emplace_back(identity::kFqdn, lower);
  candidates.emplace_back(identity::kDmiUuid, lower);
  candidates.emplace_back(identity::kMachineId, lower);
  for (std::string_view kind : {identity::kAssetTag, identity::kSerial}) {
    auto hit = FindIdentityAnyCase(view, kind, what);
    if (!hit.ok()) return hit.status();
    if (!hit->has_value()) continue;
    auto asset = LoadAsset(view, **hit);
    if (!asset.ok()) return asset.status();
    if (asset->has_value()) return **asset;
  }
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
