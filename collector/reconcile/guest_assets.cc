#include "collector/reconcile/guest_assets.h"

#include <algorithm>

#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/child_assets.h"
#include "collector/reconcile/interface_macs.h"
#include "collector/store/keys.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr std::string_view kGuestIdentity = "guest";

bool IsVirtualMachine(const v1::Guest& guest) { return guest.kind() == "libvirt"; }

std::vector<std::string> StationMacs(const v1::Guest& guest) {
  std::vector<std::string> macs;
  for (const auto& raw : guest.macs()) {
    auto mac = NormalizeMac(raw);
    if (mac && IsStationMac(*mac) && std::find(macs.begin(), macs.end(), *mac) == macs.end()) {
      macs.push_back(*mac);
    }
  }
  return macs;
}

}  // namespace

std::string GuestIdentityKey(const v1::Guest& guest, const v1::Asset& host) {
  if (IsVirtualMachine(guest)) {
    const std::string uuid = ToLower(guest.id());
    return uuid.empty() ? "" : IdentityKey(identity::kDmiUuid, uuid);
  }
  if (!guest.id().empty()) return IdentityKey(kGuestIdentity, guest.kind() + ":" + guest.id());
  // LXC names its containers, unique on their host only.
  if (!guest.name().empty()) {
    return IdentityKey(kGuestIdentity, guest.kind() + ":" + host.id() + "/" + guest.name());
  }
  return "";
}

Status SyncGuestAssets(ReconcileContext& ctx, const v1::Asset& host,
                       const google::protobuf::RepeatedPtrField<v1::Guest>& guests) {
  for (const auto& guest : guests) {
    const std::string key = GuestIdentityKey(guest, host);
    if (key.empty()) continue;
    const std::vector<std::string> macs = StationMacs(guest);
    const bool vm = IsVirtualMachine(guest);
    auto child = LoadChildAsset(ctx, host, key, macs, vm ? "virtual_machine" : "container");
    if (!child.ok()) return child.status();
    v1::Asset& after = child->after;
    // A guest running its own agent describes itself; its host says only where it runs.
    if (!HasAgent(after)) {
      after.set_device_type(vm ? "virtual_machine" : "container");
      if (!guest.name().empty()) after.set_hostname(guest.name());
      if (vm) after.set_dmi_uuid(ToLower(guest.id()));
      if (!guest.image().empty()) after.set_model(guest.image());
      after.clear_macs();
      for (const auto& mac : macs) after.add_macs(mac);
      // libvirt knows a guest's addresses only with its guest agent or DHCP
      // leases: without them, what the network saw stands.
      if (!guest.ips().empty()) {
        after.clear_ips();
        for (const auto& ip : guest.ips()) after.add_ips(ip);
      }
    }
    ESTATE_RETURN_IF_ERROR(
        SaveChildAsset(ctx, host, key, *child, vm ? "virtual machine" : "container"));
  }
  return Status::Ok();
}

}  // namespace estate::collector
