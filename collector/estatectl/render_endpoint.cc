#include "collector/estatectl/render_endpoint.h"

#include <vector>

#include "collector/estatectl/render.h"

namespace estate::collector {
namespace {

std::string Text(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j.at(key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      if (!out.empty()) out += ",";
      out += item.is_string() ? item.get<std::string>() : item.dump();
    }
    return out;
  }
  return v.dump();
}

const nlohmann::json& List(const nlohmann::json& facts, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return facts.contains(key) && facts.at(key).is_array() ? facts.at(key) : kEmpty;
}

void Section(std::string* out, const std::string& title, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return;
  *out += "\n" + title + ":\n" + RenderTable(header, rows);
}

}  // namespace

std::string RenderEndpointFacts(const std::string& node, const nlohmann::json& facts) {
  std::string out;
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : List(facts, "monitors")) {
    rows.push_back({Text(m, "connector"), Text(m, "manufacturer"), Text(m, "model"),
                    Text(m, "serial"), Text(m, "diagonal_inches"), Text(m, "year")});
  }
  Section(&out, "Monitors reported by " + node,
          {"CONNECTOR", "MANUFACTURER", "MODEL", "SERIAL", "INCHES", "YEAR"}, rows);
  rows.clear();
  for (const auto& b : List(facts, "batteries")) {
    rows.push_back({Text(b, "name"), Text(b, "manufacturer"), Text(b, "model"), Text(b, "serial"),
                    Text(b, "health_percent"), Text(b, "cycle_count")});
  }
  Section(&out, "Batteries reported by " + node,
          {"NAME", "MANUFACTURER", "MODEL", "SERIAL", "HEALTH %", "CYCLES"}, rows);
  if (facts.contains("security")) {
    const auto& s = facts.at("security");
    rows.clear();
    rows.push_back({"root encrypted", Text(s, "root_encrypted") == "yes" ? "yes" : "no"});
    rows.push_back({"secure boot", Text(s, "secure_boot")});
    rows.push_back({"tpm", Text(s, "tpm_version").empty() ? "none" : Text(s, "tpm_version")});
    rows.push_back({"firewall", Text(s, "firewalls").empty() ? "none" : Text(s, "firewalls")});
    rows.push_back(
        {"auto updates", Text(s, "auto_updates_by").empty() ? "no" : Text(s, "auto_updates_by")});
    for (const auto& v : List(s, "volumes")) {
      rows.push_back({"volume " + Text(v, "mount_point"),
                      Text(v, "scheme").empty() ? "not encrypted" : Text(v, "scheme")});
    }
    Section(&out, "Security posture reported by " + node, {"FACT", "VALUE"}, rows);
  }
  rows.clear();
  // The assets the collector found behind queues and guests (show's "linked_assets").
  auto linked = [&](const std::string& key) {
    const auto links = facts.find("linked_assets");
    if (links == facts.end() || !links->is_object()) return std::string();
    return Text(*links, key.c_str());
  };
  for (const auto& p : List(facts, "printers")) {
    rows.push_back({Text(p, "queue"), Text(p, "host"), linked("printer:" + Text(p, "queue")),
                    Text(p, "make_model"), Text(p, "device_uri")});
  }
  Section(&out, "Printers reported by " + node, {"QUEUE", "HOST", "ASSET", "MAKE AND MODEL", "URI"},
          rows);
  rows.clear();
  for (const auto& g : List(facts, "guests")) {
    rows.push_back({Text(g, "kind"), Text(g, "name"), linked("guest:" + Text(g, "name")),
                    Text(g, "state"), Text(g, "image"), Text(g, "macs"), Text(g, "ips")});
  }
  Section(&out, "Guests reported by " + node,
          {"KIND", "NAME", "ASSET", "STATE", "IMAGE", "MACS", "IPS"}, rows);
  return out;
}

}  // namespace estate::collector
