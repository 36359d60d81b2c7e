// Guests as assets of their own (child_assets.h): each VM or container a host
// reports becomes (or is found again as) an asset whose parent is the host —
// a libvirt domain by its UUID, which is also the SMBIOS UUID an agent inside
// it reports, so the guest's own agent lands on the same record; a container
// by "<runtime>:<id>". Its MACs are indexed, so a network sighting of a guest
// is the guest, not a shadow device, and a record the network made before the
// host reported the guest becomes the guest. Runs on the ingest writer thread.
#ifndef ESTATE_COLLECTOR_RECONCILE_GUEST_ASSETS_H_
#define ESTATE_COLLECTOR_RECONCILE_GUEST_ASSETS_H_

#include <string>

#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The identity key of a guest: uuid/<domain uuid> for libvirt,
// guest/<runtime>:<id> for containers; empty when the guest has no id.
std::string GuestIdentityKey(const v1::Guest& guest, const v1::Asset& host);

// Creates, updates and re-parents the guest assets of `host`'s `guests`.
Status SyncGuestAssets(ReconcileContext& ctx, const v1::Asset& host,
                       const google::protobuf::RepeatedPtrField<v1::Guest>& guests);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_GUEST_ASSETS_H_
