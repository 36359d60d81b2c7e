#include "collector/reconcile/identity_resolver.h"

#include <algorithm>

#include "collector/store/keys.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Calls `fn(kind, value)` for each identifier of `summary` that may resolve,
// strongest first, until it returns false.
template <typename Fn>
void ForEachResolvingIdentity(const v1::Asset& summary, Fn&& fn) {
  for (auto [kind, value] : {std::pair{identity::kDmiUuid, &summary.dmi_uuid()},
                             std::pair{identity::kSerial, &summary.serial()},
                             std::pair{identity::kMachineId, &summary.machine_id()}}) {
    if (!value->empty() && !fn(kind, *value)) return;
  }
  for (const auto& mac : summary.macs()) {
    if (!fn(identity::kMac, mac)) return;
  }
  // A bare host name ("debian", "localhost") is shared by unrelated machines;
  // only a name within a domain identifies one.
  if (summary.fqdn().find('.') == std::string::npos) return;
  fn(identity::kFqdn, ToLower(summary.fqdn()));
}

}  // namespace

Result<std::vector<Resolution>> ResolveCandidates(ReadView& view, const v1::Asset& summary) {
  std::vector<Resolution> out;
  Status error;
  ForEachResolvingIdentity(summary, [&](std::string_view kind, const std::string& value) {
    auto hit = view.Get(Table::kIdentity, IdentityKey(kind, value));
    if (!hit.ok()) {
      error = hit.status();
      return false;
    }
    if (!hit->has_value()) return true;
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const Resolution& r) { return r.asset_id == **hit; });
    if (!seen) out.push_back(Resolution{**hit, std::string(kind)});
    return true;
  });
  if (!error.ok()) return error;
  return out;
}

Result<std::optional<Resolution>> ResolveAsset(ReadView& view, const v1::Asset& summary) {
  std::optional<Resolution> first;
  Status error;
  // Strongest first; the first identifier that leads somewhere decides.
  ForEachResolvingIdentity(summary, [&](std::string_view kind, const std::string& value) {
    auto hit = view.Get(Table::kIdentity, IdentityKey(kind, value));
    if (!hit.ok()) {
      error = hit.status();
      return false;
    }
    if (!hit->has_value()) return true;
    first = Resolution{**hit, std::string(kind)};
    return false;
  });
  if (!error.ok()) return error;
  return first;
}

}  // namespace estate::collector
