#include "collector/inventory/inventory_protocol.h"

#include <nlohmann/json.hpp>

#include "collector/inventory/inventory_facts.h"
#include "collector/inventory/inventory_tree.h"
#include "collector/reconcile/peer_kinds.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr size_t kMaxDeviceIdBytes = 200;

// A device id fit to be part of a node id: printable, bounded.
Result<std::string> CleanDeviceId(std::string_view raw) {
  const std::string id(Trim(raw));
  if (id.empty()) return Status::InvalidArgument("no DEVICEID: the agent did not say who it is");
  if (id.size() > kMaxDeviceIdBytes) {
    return Status::InvalidArgument("DEVICEID longer than " + std::to_string(kMaxDeviceIdBytes) +
                                   " bytes");
  }
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument("DEVICEID has control characters");
  }
  return SanitizeUtf8(id);
}

std::string VersionAfterV(std::string_view text) {
  const size_t v = text.rfind("_v");
  if (v == std::string_view::npos) return "";
  std::string_view rest = text.substr(v + 2);
  size_t end = 0;
  while (end < rest.size() && rest[end] != ' ' && rest[end] != ')' && rest[end] != '/') ++end;
  return SanitizeUtf8(rest.substr(0, end));
}

std::string EscapeXmlText(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

InventoryReply Refuse(InventoryReply reply, unsigned status, std::string why) {
  return InventoryErrorReply(reply, status, why);
}

// Wraps `text` as the request was wrapped.
InventoryReply Answer(InventoryReply reply, const std::string& text) {
  auto body = EncodeBody(text, reply.encoding);
  if (!body.ok()) return Refuse(std::move(reply), 500, body.status().message());
  reply.status = 200;
  reply.body = std::move(*body);
  reply.content_type = std::string(
      ContentTypeFor(reply.encoding, reply.json ? "application/json" : "application/xml"));
  return reply;
}

std::string XmlReply(std::string_view inner) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<REPLY>" + std::string(inner) + "</REPLY>\n";
}

ForeignReport MakeReport(v1::PeerKind kind, const std::string& device_id, std::string version,
                         const InventoryNode& content) {
  ForeignReport report;
  report.kind = kind;
  report.node_id = std::string(PeerKindName(kind)) + ":" + device_id;
  // The inventory's own word on its version wins over the HTTP client's.
  const std::string from_content = VersionAfterV(content.Text("VERSIONCLIENT"));
  report.version = from_content.empty() ? std::move(version) : from_content;
  report.facts = InventoryToFacts(content);
  return report;
}

InventoryReply HandleXml(InventoryReply reply, std::string_view xml, v1::PeerKind kind,
                         std::string version, const InventoryProtocolOptions& options) {
  auto root = ParseInventoryXml(xml);
  if (!root.ok()) return Refuse(std::move(reply), 400, root.status().message());
  if (root->name != "REQUEST") {
    return Refuse(std::move(reply), 400, "XML root is <" + root->name + ">, not <REQUEST>");
  }
  const std::string query(root->Text("QUERY"));
  auto device_id = CleanDeviceId(root->Text("DEVICEID"));
  if (!device_id.ok()) return Refuse(std::move(reply), 400, device_id.status().message());
  if (query == "PROLOG") {
    std::string inner = "<RESPONSE>SEND</RESPONSE><PROLOG_FREQ>" +
                        std::to_string(options.prolog_freq_hours) + "</PROLOG_FREQ>";
    return Answer(std::move(reply), XmlReply(inner));
  }
  if (query != "INVENTORY") {
    return Refuse(std::move(reply), 400,
                  "QUERY '" + SanitizeUtf8(query) + "' is not served (only PROLOG and INVENTORY)");
  }
  const InventoryNode* content = root->Child("CONTENT");
  if (content == nullptr) return Refuse(std::move(reply), 400, "INVENTORY without CONTENT");
  reply.report = MakeReport(kind, *device_id, std::move(version), *content);
  // OCS agents read RESPONSE; FusionInventory agents an empty REPLY is enough.
  return Answer(std::move(reply), XmlReply("<RESPONSE>no_account_update</RESPONSE>"));
}

// `key` of `object` when it is a string, else `fallback` (never throws).
std::string StringField(const nlohmann::json& object, const char* key, const char* fallback) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

InventoryReply HandleJson(InventoryReply reply, std::string_view text, std::string version,
                          const InventoryProtocolOptions& options) {
  reply.json = true;
  auto message = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded() || !message.is_object()) {
    return Refuse(std::move(reply), 400, "the body is not a JSON object");
  }
  const std::string action = StringField(message, "action", "");
  auto device_id = CleanDeviceId(StringField(message, "deviceid", ""));
  if (!device_id.ok()) return Refuse(std::move(reply), 400, device_id.status().message());
  const nlohmann::json expiration = options.prolog_freq_hours;
  if (action == "contact") {
    nlohmann::json answer = {{"status", "ok"},
                             {"expiration", expiration},
                             {"tasks", {{"inventory", {{"server", "estate"}}}}}};
    return Answer(std::move(reply), answer.dump());
  }
  if (action != "inventory") {
    return Refuse(
        std::move(reply), 400,
        "action '" + SanitizeUtf8(action) + "' is not served (only contact and inventory)");
  }
  const std::string itemtype = StringField(message, "itemtype", "Computer");
  if (itemtype != "Computer") {
    return Refuse(std::move(reply), 400,
                  "itemtype '" + SanitizeUtf8(itemtype) + "' is not served (only Computer)");
  }
  if (message.contains("partial") && message["partial"] == true) {
    // Only the changed sections: stored as a whole they would erase the rest.
    return Refuse(std::move(reply), 400,
                  "partial inventories are not accepted: set full-inventory-postpone = 0 "
                  "in the agent's configuration");
  }
  if (!message.contains("content") || !message["content"].is_object()) {
    return Refuse(std::move(reply), 400, "inventory without content");
  }
  auto content = InventoryTreeFromJson("content", message["content"]);
  if (!content.ok()) return Refuse(std::move(reply), 400, content.status().message());
  reply.report = MakeReport(v1::PEER_KIND_GLPI_AGENT, *device_id, std::move(version), *content);
  return Answer(std::move(reply),
                nlohmann::json{{"status", "ok"}, {"expiration", expiration}}.dump());
}

}  // namespace

v1::PeerKind ForeignAgentKind(std::string_view user_agent, std::string* version) {
  const std::string agent = ToLower(user_agent);
  if (version) *version = VersionAfterV(user_agent);
  if (StartsWith(agent, "ocs-ng") || StartsWith(agent, "ocs_")) return v1::PEER_KIND_OCS;
  if (StartsWith(agent, "glpi-agent")) return v1::PEER_KIND_GLPI_AGENT;
  return v1::PEER_KIND_FUSIONINVENTORY;
}

InventoryReply InventoryErrorReply(const InventoryReply& request_reply, unsigned status,
                                   const std::string& why) {
  InventoryReply reply;
  reply.encoding = request_reply.encoding;
  reply.json = request_reply.json;
  reply.status = status;
  reply.error = why;
  const std::string text = reply.json ? nlohmann::json{{"status", "error"}, {"message", why}}.dump()
                                      : XmlReply("<ERROR>" + EscapeXmlText(why) + "</ERROR>");
  auto body = EncodeBody(text, reply.encoding);
  reply.body = body.ok() ? std::move(*body) : why;
  reply.content_type =
      std::string(ContentTypeFor(body.ok() ? reply.encoding : BodyEncoding::kPlain,
                                 reply.json ? "application/json" : "application/xml"));
  return reply;
}

InventoryReply HandleInventoryRequest(const InventoryRequest& request,
                                      const InventoryProtocolOptions& options) {
  InventoryReply reply;
  auto text = DecodeBody(request.body, options.max_inflated_bytes, &reply.encoding);
  if (!text.ok()) return Refuse(std::move(reply), 400, text.status().message());
  std::string version;
  const v1::PeerKind kind = ForeignAgentKind(request.user_agent, &version);
  std::string_view body = Trim(*text);
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) {
    return HandleJson(std::move(reply), body, std::move(version), options);
  }
  if (!body.empty() && body.front() == '<') {
    return HandleXml(std::move(reply), body, kind, std::move(version), options);
  }
  // A UTF-16 document starts with its byte order mark.
  if (body.size() >= 2 && ((static_cast<unsigned char>(body[0]) == 0xff &&
                            static_cast<unsigned char>(body[1]) == 0xfe) ||
                           (static_cast<unsigned char>(body[0]) == 0xfe &&
                            static_cast<unsigned char>(body[1]) == 0xff))) {
    return HandleXml(std::move(reply), body, kind, std::move(version), options);
  }
  return Refuse(std::move(reply), 400, "the body is neither an XML nor a JSON inventory");
}

}  // namespace estate::collector
