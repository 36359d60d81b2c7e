#include "collector/estatectl/render.h"

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

int64_t Int(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<int64_t>() : 0;
}

std::string RenderAssets(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : result.at("assets")) {
    rows.push_back({Str(a, "id"), Str(a, "hostname"), Str(a, "asset_class"), Str(a, "os"),
                    Str(a, "ips"), Str(a, "macs"), FormatTime(Int(a, "last_seen"))});
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
  if (result.is_object()) return RenderKeyValues(result);
  return result.dump(2) + "\n";
}

}  // namespace estate::collector
