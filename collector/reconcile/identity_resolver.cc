#include "collector/reconcile/identity_resolver.h"

#include "collector/store/keys.h"
#include "estate/text.h"

namespace estate::collector {

Result<std::optional<Resolution>> ResolveAsset(ReadView& view, const v1::Asset& summary) {
  auto lookup = [&](std::string_view kind,
                    const std::string& value) -> Result<std::optional<Resolution>> {
    if (value.empty()) return std::optional<Resolution>();
    auto hit = view.Get(Table::kIdentity, IdentityKey(kind, value));
    if (!hit.ok()) return hit.status();
    if (!hit->has_value()) return std::optional<Resolution>();
    return std::optional<Resolution>(Resolution{**hit, std::string(kind)});
  };
  // Strongest first; the first identifier that leads somewhere decides.
  for (auto [kind, value] : {std::pair{identity::kDmiUuid, summary.dmi_uuid()},
                             std::pair{identity::kSerial, summary.serial()},
                             std::pair{identity::kMachineId, summary.machine_id()}}) {
    auto r = lookup(kind, value);
    if (!r.ok() || r->has_value()) return r;
  }
  for (const auto& mac : summary.macs()) {
    auto r = lookup(identity::kMac, mac);
    if (!r.ok() || r->has_value()) return r;
  }
  // A bare host name ("debian", "localhost") is shared by unrelated machines;
  // only a name within a domain identifies one.
  if (summary.fqdn().find('.') == std::string::npos) return std::optional<Resolution>();
  return lookup(identity::kFqdn, ToLower(summary.fqdn()));
}

}  // namespace estate::collector
