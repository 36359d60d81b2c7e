#include "collector/estatectl/render_network_device.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include "collector/estatectl/render.h"

namespace estate::collector {
namespace {

std::string Text(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j.at(key);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

const nlohmann::json& List(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return j.is_object() && j.contains(key) && j.at(key).is_array() ? j.at(key) : kEmpty;
}

uint64_t Number(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return 0;
  const auto& v = j.at(key);
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_string()) return std::strtoull(v.get<std::string>().c_str(), nullptr, 10);
  return 0;
}

void Section(std::string* out, const std::string& title, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return;
  *out += "\n" + title + ":\n" + RenderTable(header, rows);
}

}  // namespace

std::string RenderNetworkDevice(const nlohmann::json& d) {
  std::string out;
  std::map<uint64_t, std::string> port_names;  // ifIndex -> name
  for (const auto& i : List(d, "interfaces")) {
    std::string name = Text(i, "name");
    if (name.empty()) name = Text(i, "descr");
    port_names[Number(i, "index")] = name.empty() ? Text(i, "index") : name;
  }
  auto ports = [&](const nlohmann::json& list) {
    std::string text;
    for (const auto& p : list) {
      const uint64_t index = p.is_number_unsigned() ? p.get<uint64_t>() : 0;
      auto it = port_names.find(index);
      text += (text.empty() ? "" : " ") + (it != port_names.end() ? it->second : p.dump());
    }
    return text;
  };

  // Identical processors are one row with a count: a server's 32 threads
  // are one line, not 32.
  std::vector<std::pair<std::string, int>> processors;
  for (const auto& p : List(d, "processors")) {
    std::string what = Text(p, "descr");
    if (!Text(p, "model").empty()) what += " (" + Text(p, "model") + ")";
    if (!processors.empty() && processors.back().first == what) {
      ++processors.back().second;
    } else {
      processors.push_back({what, 1});
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [what, count] : processors) rows.push_back({std::to_string(count), what});
  Section(&out, "Processors (SNMP)", {"COUNT", "PROCESSOR"}, rows);

  rows.clear();
  for (const auto& v : List(d, "vlans")) {
    std::vector<uint64_t> untagged;
    for (const auto& p : List(v, "untagged_ports")) {
      if (p.is_number_unsigned()) untagged.push_back(p.get<uint64_t>());
    }
    nlohmann::json tagged = nlohmann::json::array();
    for (const auto& p : List(v, "ports")) {
      if (p.is_number_unsigned() &&
          std::find(untagged.begin(), untagged.end(), p.get<uint64_t>()) == untagged.end()) {
        tagged.push_back(p);
      }
    }
    rows.push_back(
        {Text(v, "id"), Text(v, "name"), ports(List(v, "untagged_ports")), ports(tagged)});
  }
  Section(&out, "VLANs (SNMP)", {"VLAN", "NAME", "UNTAGGED PORTS", "TAGGED PORTS"}, rows);

  rows.clear();
  for (const auto& i : List(d, "interfaces")) {
    rows.push_back({Text(i, "index"), Text(i, "name"), Text(i, "alias"), Text(i, "mac"),
                    Text(i, "oper_status"), Number(i, "pvid") ? Text(i, "pvid") : ""});
  }
  Section(&out, "Interfaces (SNMP)", {"IFINDEX", "NAME", "ALIAS", "MAC", "STATUS", "PVID"}, rows);

  rows.clear();
  for (const auto& m : List(d, "modules")) {
    if (Text(m, "serial").empty() && Text(m, "model").empty()) continue;
    rows.push_back({Text(m, "class_name"), Text(m, "name"), Text(m, "model"), Text(m, "serial"),
                    Text(m, "software_revision").empty() ? Text(m, "firmware_revision")
                                                         : Text(m, "software_revision")});
  }
  Section(&out, "Modules and transceivers (SNMP)", {"CLASS", "NAME", "MODEL", "SERIAL", "VERSION"},
          rows);
  return out;
}

}  // namespace estate::collector
