#include "collector/estatectl/render.h"

#include <algorithm>
#include <ctime>

namespace estate::collector {
namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return "";
  const auto& v = j.at(key);
  if (v.is_string()) return v.get<std::string>();
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

// The first of a list: an asset's primary MAC.
std::string First(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_array() || j.at(key).empty()) return Str(j, key);
  const auto& v = j.at(key).front();
  return v.is_string() ? v.get<std::string>() : v.dump();
}

int64_t Int(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<int64_t>() : 0;
}

std::string RenderAssets(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : result.at("assets")) {
    rows.push_back({Str(a, "id"), Str(a, "hostname"), Str(a, "asset_class"), Str(a, "os"),
                    Str(a, "ips"), First(a, "macs"), FormatTime(Int(a, "last_seen"))});
  }
  return RenderTable({"ID", "HOSTNAME", "CLASS", "OS", "IP", "MAC", "LAST SEEN"}, rows) +
         std::to_string(rows.size()) + " asset(s)\n";
}

std::string RenderShow(const nlohmann::json& a) {
  std::string out;
  auto line = [&](const char* label, const std::string& value) {
    if (value.empty()) return;
    out += label;
    out.append(16 - std::min<size_t>(15, std::string(label).size()), ' ');
    out += value + "\n";
  };
  line("Asset", Str(a, "id"));
  line("Hostname", Str(a, "hostname"));
  line("FQDN", Str(a, "fqdn"));
  line("Class", Str(a, "asset_class"));
  line("OS", Str(a, "os"));
  line("Kernel", Str(a, "kernel"));
  line("Vendor", Str(a, "vendor"));
  line("Model", Str(a, "model"));
  line("Serial", Str(a, "serial"));
  line("Machine ID", Str(a, "machine_id"));
  line("CPU threads", a.contains("cpu_logical") ? Str(a, "cpu_logical") : "");
  line("Memory", a.contains("memory_bytes") ? FormatBytes(Int(a, "memory_bytes")) : "");
  line("Packages", a.contains("software_count") ? Str(a, "software_count") : "");
  line("IPs", Str(a, "ips"));
  line("MACs", Str(a, "macs"));
  line("State", a.contains("state") ? Str(a, "state") : "discovered (not in the lifecycle)");
  line("Managed", a.value("managed", false) ? "yes" : "no (shadow device)");
  if (a.contains("as_of")) line("As of", Str(a, "as_of"));
  line("Device type", Str(a, "device_type"));
  line("Evidence", Str(a, "evidence"));
  line("Ignored", Str(a, "ignored_reason"));
  if (a.contains("attributes")) {
    for (const auto& [k, v] : a.at("attributes").items()) line(k.c_str(), v.get<std::string>());
  }
  if (a.contains("custody")) {
    const auto& c = a.at("custody");
    line("Checked out to", Str(c, "holder") + " since " + FormatTime(Int(c, "checked_out_at")) +
                               (Int(c, "due") ? ", due " + FormatTime(Int(c, "due")) : ""));
  }
  if (a.contains("location")) {
    const auto& l = a.at("location");
    if (l.contains("switch_name")) {
      line("Switch port", Str(l, "switch_name") + " " + Str(l, "port") +
                              (l.contains("vlan") ? " vlan " + Str(l, "vlan") : ""));
    }
  }
  line("First seen", FormatTime(Int(a, "first_seen")));
  line("Last seen", FormatTime(Int(a, "last_seen")));
  if (a.contains("sources")) {
    for (const auto& s : a.at("sources")) {
      line("Source", Str(s, "kind") + " " + Str(s, "node_id") + " (last report " +
                         FormatTime(Int(s, "last_seen")) + ", sequence " + Str(s, "last_sequence") +
                         ")");
    }
  }
  if (a.contains("facts")) {
    for (const auto& [node, facts] : a.at("facts").items()) {
      if (!facts.contains("network")) continue;
      out += "\nInterfaces reported by " + node + ":\n";
      std::vector<std::vector<std::string>> rows;
      for (const auto& nic : facts.at("network").value("interfaces", nlohmann::json::array())) {
        std::string addrs;
        for (const auto& addr : nic.value("addresses", nlohmann::json::array())) {
          if (!addrs.empty()) addrs += " ";
          addrs += Str(addr, "address") + "/" + Str(addr, "prefix_length");
        }
        rows.push_back({Str(nic, "name"), Str(nic, "mac"), Str(nic, "state"), addrs});
      }
      out += RenderTable({"NAME", "MAC", "STATE", "ADDRESSES"}, rows);
    }
  }
  return out;
}

std::string RenderHistory(const nlohmann::json& result) {
  std::string out;
  for (const auto& e : result.at("events")) {
    out += FormatTime(Int(e, "at")) + "  " + Str(e, "kind") + "  " + Str(e, "summary") + "\n";
    if (e.contains("changes")) {
      for (const auto& c : e.at("changes")) {
        out += "    " + Str(c, "field") + ": " + Str(c, "before") + " -> " + Str(c, "after") + "\n";
      }
    }
  }
  return out.empty() ? "no history\n" : out;
}

std::string RenderSightings(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : result.at("sightings")) {
    rows.push_back({Str(s, "ip"), Str(s, "mac"), Str(s, "vendor"), Str(s, "hostname"),
                    Str(s, "sources"), FormatTime(Int(s, "last_seen"))});
  }
  return RenderTable({"IP", "MAC", "VENDOR", "HOSTNAME", "SEEN BY", "LAST SEEN"}, rows);
}

std::string RenderAgents(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : result.at("agents")) {
    const bool revoked = a.value("revoked", false);
    rows.push_back({Str(a, "node_id"), Str(a, "hostname"), Str(a, "kind"),
                    FormatTime(Int(a, "enrolled_at")), FormatTime(Int(a, "last_seen")),
                    Str(a, "last_address"),
                    revoked ? "revoked " + FormatTime(Int(a, "revoked_at")) : "no"});
  }
  return RenderTable(
      {"NODE", "HOSTNAME", "KIND", "ENROLLED", "LAST SEEN", "LAST ADDRESS", "REVOKED"}, rows);
}

std::string RenderShadow(const nlohmann::json& result) {
  std::string out;
  if (result.contains("devices")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : result.at("devices")) {
      std::string where = Str(d, "switch");
      if (!where.empty()) where += " " + Str(d, "port") + " vlan " + Str(d, "vlan");
      rows.push_back({Str(d, "asset_id"), Str(d, "mac"), Str(d, "ip"), Str(d, "vendor"),
                      Str(d, "device_type"), where, Str(d, "last_seen")});
    }
    out += "Shadow devices (" + std::to_string(rows.size()) + "):\n" +
           RenderTable({"ASSET", "MAC", "IP", "VENDOR", "TYPE", "SWITCH PORT", "LAST SEEN"}, rows);
  }
  if (result.contains("software")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : result.at("software")) {
      rows.push_back(
          {Str(f, "verdict"), Str(f, "kind"), Str(f, "name"), Str(f, "versions"), Str(f, "hosts")});
    }
    out += "\nShadow software (" + std::to_string(rows.size()) + "):\n" +
           RenderTable({"VERDICT", "KIND", "NAME", "VERSIONS", "HOSTS"}, rows);
  }
  return out;
}

std::string RenderDrift(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : result.at("drift")) {
    rows.push_back({Str(d, "asset_id"), Str(d, "severity"), Str(d, "fact"), Str(d, "before"),
                    Str(d, "after"), Str(d, "first_seen")});
  }
  return RenderTable({"ASSET", "SEVERITY", "FACT", "BASELINE", "NOW", "SINCE"}, rows) +
         std::to_string(rows.size()) + " open difference(s)\n";
}

std::string RenderEvents(const nlohmann::json& result) {
  std::string out;
  for (const auto& e : result.at("events")) {
    out += Str(e, "seq") + "  " + FormatTime(Int(e, "at")) + "  " + Str(e, "severity") + "  " +
           Str(e, "kind") + "  " + Str(e, "asset_id") + "  " + Str(e, "summary") + "\n";
  }
  return out;
}

std::string RenderKeyValues(const nlohmann::json& result) {
  std::string out;
  for (const auto& [key, value] : result.items()) {
    out += key;
    out.append(key.size() < 24 ? 24 - key.size() : 1, ' ');
    out += (value.is_string() ? value.get<std::string>() : value.dump()) + "\n";
  }
  return out;
}

}  // namespace

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size());
  for (size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto format_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      line += cell;
      if (i + 1 < widths.size()) line.append(widths[i] - cell.size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };
  std::string out = format_row(header);
  for (const auto& row : rows) out += format_row(row);
  return out;
}

std::string FormatTime(int64_t epoch_seconds) {
  if (epoch_seconds <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string FormatBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buf;
}

std::string RenderForHumans(const std::string& command, const nlohmann::json& result) {
  if (command == "assets" && result.contains("assets")) return RenderAssets(result);
  if (command == "show") return RenderShow(result);
  if (command == "history" && result.contains("events")) return RenderHistory(result);
  if (command == "sightings" && result.contains("sightings")) return RenderSightings(result);
  if (command == "shadow") return RenderShadow(result);
  if (command == "agents" && result.contains("agents")) return RenderAgents(result);
  if (command == "drift" && result.contains("drift")) return RenderDrift(result);
  if (command == "events" && result.contains("events")) return RenderEvents(result);
  if (result.is_object()) return RenderKeyValues(result);
  return result.dump(2) + "\n";
}

std::string RenderCsv(const std::string& command, const nlohmann::json& result) {
  // The list a command returns: the first array member of the result.
  const nlohmann::json* list = nullptr;
  for (const char* key :
       {"assets", "events", "drift", "devices", "software", "sightings", "agents"}) {
    if (result.contains(key) && result.at(key).is_array()) {
      list = &result.at(key);
      break;
    }
  }
  if (!list) return "";
  auto quote = [](const std::string& v) {
    if (v.find_first_of(",\"\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::vector<std::string> columns;
  for (const auto& row : *list) {
    for (const auto& [k, v] : row.items()) {
      if (v.is_object()) continue;
      if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    }
  }
  (void)command;
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + quote(columns[i]);
  out += "\n";
  for (const auto& row : *list) {
    for (size_t i = 0; i < columns.size(); ++i) {
      std::string cell;
      if (row.contains(columns[i])) {
        const auto& v = row.at(columns[i]);
        if (v.is_array()) {
          for (const auto& item : v) {
            cell += (cell.empty() ? "" : ";") +
                    (item.is_string() ? item.get<std::string>() : item.dump());
          }
        } else {
          cell = v.is_string() ? v.get<std::string>() : v.dump();
        }
      }
      out += (i ? "," : "") + quote(cell);
    }
    out += "\n";
  }
  return out;
}

}  // namespace estate::collector
