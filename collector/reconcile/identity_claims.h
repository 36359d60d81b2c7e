// Who may claim an asset's hardware identity. An asset an agent node reports
// for is that node's: another node that reports the same serial, DMI UUID,
// machine-id or MAC does not take it over, whatever its enroll secret says —
// only a node whose holders were all revoked may (a reinstalled machine whose
// old node an admin revoked), and an admin may reassign it. A machine revoked
// for good (`estatectl revoke NODE --machine`) leaves its hardware identifiers
// banned: a new node id reporting them is refused. Functions over a read view
// or the writer's batch; run on the ingest writer thread.
#ifndef ESTATE_COLLECTOR_RECONCILE_IDENTITY_CLAIMS_H_
#define ESTATE_COLLECTOR_RECONCILE_IDENTITY_CLAIMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/reconcile/reconcile_context.h"
#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// A hardware identifier of a machine an admin revoked for good (`estatectl
// revoke NODE --machine`), stored in the nodes table under
// MachineBanKey(kind, value) as "node\0asset\0banned_at\0banned_by".
struct MachineBan {
  std::string kind;  // uuid, serial, machine_id, mac
  std::string value;
  std::string node_id;    // the node revoked with --machine
  std::string asset_id;   // its asset then
  int64_t banned_at = 0;  // Unix epoch seconds
  std::string banned_by;  // Unix user
};

// Nodes table keys: a banned identifier, "banned\0<kind>\0<value>", and a
// node's enrollment record, "enrolled\0<node id>" (collector/auth writes
// those; the writer reads them here to tell live holders from revoked ones).
std::string MachineBanKey(std::string_view kind, std::string_view value);
std::string MachineBanPrefix();
std::string NodeEnrollmentKey(std::string_view node_id);

// The agent nodes whose facts are stored under an asset, but one.
struct AssetHolders {
  std::vector<std::string> live;     // may report: the asset is theirs
  std::vector<std::string> revoked;  // revoked by an admin: they speak for it no more
};

// The holders of `asset` other than `except_node`. A node counts when its
// NodeState still points at the asset; revoked when its enrollment says so.
Result<AssetHolders> HoldersOf(ReadView& view, const v1::Asset& asset,
                               const std::string& except_node);

// The hardware identifiers of `summary` (uuid, serial, machine_id, macs).
std::vector<std::pair<std::string, std::string>> HardwareIdentities(const v1::Asset& summary);

// The first ban that one of `summary`'s hardware identifiers is under.
Result<std::optional<MachineBan>> FindMachineBan(ReadView& view, const v1::Asset& summary);

// Bans the hardware identifiers `node_id` reported, but those indexed to
// another asset (a node that claimed a victim's serial must not get the
// victim banned). Returns the bans written; `skipped` gets the others.
Result<std::vector<MachineBan>> BanMachine(ReconcileContext& ctx, const std::string& node_id,
                                           std::vector<std::string>* skipped);

// Lifts the bans written when `node_id` was revoked with --machine.
Result<int> LiftMachineBans(ReconcileContext& ctx, const std::string& node_id);

// Every ban, in key order.
Result<std::vector<MachineBan>> ListMachineBans(Store& store);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_IDENTITY_CLAIMS_H_
