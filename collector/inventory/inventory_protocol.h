// The server side of the inventory protocols foreign agents speak, as plain
// functions over one HTTP request body (docs/glpi.md):
//
//  - FusionInventory / GLPI agent XML: <REQUEST><QUERY>PROLOG</QUERY> is
//    answered <REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>h</PROLOG_FREQ>,
//    then <QUERY>INVENTORY</QUERY> carries CONTENT (BIOS, HARDWARE, ...).
//  - OCS Inventory agent: the same XML envelope; told apart by its User-Agent.
//  - GLPI Agent native JSON: {"action":"contact"} then {"action":"inventory",
//    "content":{...}} (glpi-project inventory_format).
//
// Bodies may be zlib- or gzip-compressed; the reply is wrapped the same way.
// Transport, authentication and storing the report are the caller's
// (collector/net/inventory_session.h). Thread-safe.
#ifndef ESTATE_COLLECTOR_INVENTORY_INVENTORY_PROTOCOL_H_
#define ESTATE_COLLECTOR_INVENTORY_INVENTORY_PROTOCOL_H_

#include <optional>
#include <string>
#include <string_view>

#include "collector/inventory/body_codec.h"
#include "collector/reconcile/peer_kinds.h"
#include "estate/v1/facts.pb.h"
#include "estate/v1/frame.pb.h"

namespace estate::collector {

struct InventoryProtocolOptions {
  size_t max_inflated_bytes = 64u << 20;
  uint32_t prolog_freq_hours = 24;  // how often agents are told to report
};

struct InventoryRequest {
  std::string_view body;
  std::string_view user_agent;
};

// An inventory to store, from a foreign agent.
struct ForeignReport {
  v1::PeerKind kind = v1::PEER_KIND_UNSPECIFIED;
  std::string node_id;  // "<kind>:<device id>"
  std::string version;  // the agent's own version ("2.6")
  v1::HostFacts facts;
};

struct InventoryReply {
  unsigned status = 200;
  std::string content_type;
  std::string body;
  // Set for an inventory: answer `body` once it is stored, else an error.
  std::optional<ForeignReport> report;
  std::string error;  // why the request was refused (status >= 400), for the log
  BodyEncoding encoding = BodyEncoding::kPlain;
  bool json = false;
};

InventoryReply HandleInventoryRequest(const InventoryRequest& request,
                                      const InventoryProtocolOptions& options);

// The reply telling the agent its inventory was not stored (`status`, `why`),
// in the dialect and wrapping of `request_reply`.
InventoryReply InventoryErrorReply(const InventoryReply& request_reply, unsigned status,
                                   const std::string& why);

// Which agent: "OCS-NG_..." is ocs, "GLPI-Agent_v1.4" glpi-agent, anything
// else fusioninventory; `version` gets what follows its "_v".
v1::PeerKind ForeignAgentKind(std::string_view user_agent, std::string* version);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INVENTORY_INVENTORY_PROTOCOL_H_
