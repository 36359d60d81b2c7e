// The names peer kinds go by in asset sources, node records and `estatectl
// agents`: the agent port's (estate.v1.PeerKind agent, scanner) and the
// inventory listener's foreign agents (glpi-agent, fusioninventory, ocs),
// all declared in frame.proto. Records store these names, never the numbers.
#ifndef ESTATE_COLLECTOR_RECONCILE_PEER_KINDS_H_
#define ESTATE_COLLECTOR_RECONCILE_PEER_KINDS_H_

#include <string_view>

#include "estate/v1/frame.pb.h"

namespace estate::collector {

// "agent", "scanner", "glpi-agent", "fusioninventory", "ocs"; "unknown" else.
const char* PeerKindName(v1::PeerKind kind);

// A foreign agent's kind (one of the three above).
bool IsForeignPeerKind(v1::PeerKind kind);

// True for a source that is an agent on the endpoint itself: Estate's own or a
// foreign one, as opposed to a scanner.
bool IsEndpointAgentKind(std::string_view kind_name);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_PEER_KINDS_H_
