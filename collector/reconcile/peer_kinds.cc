#include "collector/reconcile/peer_kinds.h"

namespace estate::collector {

const char* PeerKindName(v1::PeerKind kind) {
  switch (kind) {
    case v1::PEER_KIND_AGENT:
      return "agent";
    case v1::PEER_KIND_SCANNER:
      return "scanner";
    case v1::PEER_KIND_GLPI_AGENT:
      return "glpi-agent";
    case v1::PEER_KIND_FUSIONINVENTORY:
      return "fusioninventory";
    case v1::PEER_KIND_OCS:
      return "ocs";
    default:
      return "unknown";
  }
}

bool IsForeignPeerKind(v1::PeerKind kind) {
  return kind == v1::PEER_KIND_GLPI_AGENT || kind == v1::PEER_KIND_FUSIONINVENTORY ||
         kind == v1::PEER_KIND_OCS;
}

bool IsEndpointAgentKind(std::string_view kind_name) {
  return kind_name == "agent" || kind_name == "glpi-agent" || kind_name == "fusioninventory" ||
         kind_name == "ocs";
}

}  // namespace estate::collector
