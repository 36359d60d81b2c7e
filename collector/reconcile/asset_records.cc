#include "collector/reconcile/asset_records.h"

#include <algorithm>
#include <cstdio>

#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/peer_kinds.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr char kNextAssetIdSetting[] = "next_asset_id";
constexpr int kMaxMergeHops = 16;  // a cycle would be a bug; never loop on it

}  // namespace

Result<bool> LoadAssetInto(ReadView& view, const std::string& id, v1::Asset* out) {
  std::string current = id;
  for (int hop = 0; hop < kMaxMergeHops; ++hop) {
    auto raw = view.Get(Table::kAssets, current);
    if (!raw.ok()) return raw.status();
    if (!raw->has_value()) return false;
    if (!out->ParseFromString(**raw)) {
      return Status::Corruption(std::string("unparsable record in ") + TableName(Table::kAssets));
    }
    if (out->merged_into().empty()) return true;
    current = out->merged_into();
  }
  return Status::Corruption("asset " + id + " is merged in a cycle");
}

Result<std::optional<v1::Asset>> LoadAsset(ReadView& view, const std::string& id) {
  v1::Asset asset;
  auto found = LoadAssetInto(view, id, &asset);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<v1::Asset>();
  return std::optional<v1::Asset>(std::move(asset));
}

Result<std::string> AllocateAssetId(WriteBatch& batch) {
  auto raw = batch.Get(Table::kSettings, kNextAssetIdSetting);
  if (!raw.ok()) return raw.status();
  uint64_t next = 1;
  if (raw->has_value()) {
    auto parsed = ParseUint(**raw);
    if (!parsed) return Status::Corruption("settings: next_asset_id is not a number");
    next = *parsed;
  }
  batch.Put(Table::kSettings, kNextAssetIdSetting, std::to_string(next + 1));
  char id[32];
  std::snprintf(id, sizeof id, "A-%06llu", static_cast<unsigned long long>(next));
  return std::string(id);
}

Status Reindex(WriteBatch& batch, const v1::Asset& before, const v1::Asset& after,
               std::vector<IdentityConflict>* conflicts) {
  using Identities = std::vector<std::pair<std::string, std::string>>;
  auto sorted = [](Identities ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  };
  const Identities old_ids = sorted(AssetIdentities(before));
  const Identities new_ids = sorted(AssetIdentities(after));
  // Most reports change no identity: nothing to read or write.
  if (old_ids == new_ids) return Status::Ok();
  auto holds = [](const Identities& ids, const std::pair<std::string, std::string>& id) {
    return std::binary_search(ids.begin(), ids.end(), id);
  };
  for (const auto& [kind, value] : old_ids) {
    if (holds(new_ids, {kind, value})) continue;
    const std::string key = IdentityKey(kind, value);
    auto owner = batch.Get(Table::kIdentity, key);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner == after.id()) batch.Delete(Table::kIdentity, key);
  }
  for (const auto& [kind, value] : new_ids) {
    const bool held_before = holds(old_ids, {kind, value});
    const std::string key = IdentityKey(kind, value);
    // Addresses and host names move freely between assets: no owner to ask.
    if (kind == identity::kIp || kind == identity::kHostname) {
      if (!held_before) batch.Put(Table::kIdentity, key, after.id());
      continue;
    }
    // A record's identifier is not always indexed to it: one another record
    // held when it was claimed stayed with that record (a conflict). So an
    // identifier held before and still held is checked too — its holder may
    // have been merged away or split since, freeing it — but a conflict is
    // reported only when the identifier is newly claimed.
    auto owner = batch.Get(Table::kIdentity, key);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner == after.id()) continue;
    if (owner->has_value()) {
      // The other record may be a merged-away tombstone: then the key is free.
      auto other = GetRecord<v1::Asset>(batch, Table::kAssets, **owner);
      if (!other.ok()) return other.status();
      if (other->has_value() && (*other)->merged_into().empty()) {
        if (!held_before) conflicts->push_back({kind, value, **owner});
        continue;
      }
    }
    batch.Put(Table::kIdentity, key, after.id());
  }
  return Status::Ok();
}

void TouchSource(v1::Asset* asset, const std::string& kind, const std::string& node_id,
                 uint64_t sequence, int64_t now_s) {
  for (auto& source : *asset->mutable_sources()) {
    if (source.node_id() == node_id) {
      source.set_last_seen(now_s);
      if (sequence) source.set_last_sequence(sequence);
      return;
    }
  }
  auto* source = asset->add_sources();
  source->set_kind(kind);
  source->set_node_id(node_id);
  source->set_first_seen(now_s);
  source->set_last_seen(now_s);
  source->set_last_sequence(sequence);
}

bool HasAgent(const v1::Asset& asset) {
  for (const auto& source : asset.sources()) {
    if (IsEndpointAgentKind(source.kind())) return true;
  }
  return false;
}

bool IsDiscoveryOnly(const v1::Asset& asset) {
  return !asset.managed() && asset.state().empty() && asset.attributes_size() == 0 &&
         !HasAgent(asset);
}

}  // namespace estate::collector
