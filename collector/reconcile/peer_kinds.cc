#include "collector/reconcile/peer_kinds.h"

namespace estate::collector {

const char* PeerKindName(v1::PeerKind kind) {
  switch (static_cast<int>(kind)) {
    case v1::PEER_KIND_AGENT:
      return "agent";
    case v1::PEER_KIND_SCANNER:
      return "scanner";
    case static_cast<int>(kPeerKindGlpiAgent):
      return "glpi-agent";
    case static_cast<int>(kPeerKindFusionInventory):
      return "fusioninventory";
    case static_cast<int>(kPeerKindOcs):
      return "ocs";
    default:
      return "unknown";
  }
}

bool IsForeignPeerKind(v1::PeerKind kind) {
  return kind == kPeerKindGlpiAgent || kind == kPeerKindFusionInventory || kind == kPeerKindOcs;
}

bool IsEndpointAgentKind(std::string_view kind_name) {
  return kind_name == "agent" || kind_name == "glpi-agent" || kind_name == "fusioninventory" ||
         kind_name == "ocs";
}

}  // namespace estate::collector
