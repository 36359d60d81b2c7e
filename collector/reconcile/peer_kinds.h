// The kinds of peers that report to the collector and the names they go by in
// asset sources, node records and `estatectl agents`.
//
// Besides the agent port's kinds (estate.v1.PeerKind: agent, scanner), the
// inventory listener's foreign agents: their reports travel the same path
// (Peer.kind) but never the wire, so they take values past the wire enum's
// (proto3 enums are open). An agent-port Hello claiming one is refused.
#ifndef ESTATE_COLLECTOR_RECONCILE_PEER_KINDS_H_
#define ESTATE_COLLECTOR_RECONCILE_PEER_KINDS_H_

#include <string_view>

#include "estate/v1/frame.pb.h"

namespace estate::collector {

inline constexpr auto kPeerKindGlpiAgent = static_cast<v1::PeerKind>(101);  // GLPI Agent JSON
inline constexpr auto kPeerKindFusionInventory =
    static_cast<v1::PeerKind>(102);                                   // FusionInventory XML
inline constexpr auto kPeerKindOcs = static_cast<v1::PeerKind>(103);  // OCS Inventory XML

// "agent", "scanner", "glpi-agent", "fusioninventory", "ocs"; "unknown" else.
const char* PeerKindName(v1::PeerKind kind);

// A foreign agent's kind (one of the three above).
bool IsForeignPeerKind(v1::PeerKind kind);

// True for a source that is an agent on the endpoint itself: Estate's own or a
// foreign one, as opposed to a scanner.
bool IsEndpointAgentKind(std::string_view kind_name);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_PEER_KINDS_H_
