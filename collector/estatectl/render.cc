#include "collector/estatectl/render.h"

#include <algorithm>
#include <cstdio>

#include "collector/estatectl/list_columns.h"
#include "collector/estatectl/render_endpoint.h"
#include "collector/estatectl/render_network_device.h"
#include "estate/iso_time.h"
#include "estate/utf8.h"

namespace estate::collector {
namespace {

// Characters a terminal acts on instead of showing.
bool IsTerminalControl(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||  // C0, DEL, C1 (0x9b is CSI)
         (cp >= 0x202a && cp <= 0x202e) ||           // bidi embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069);             // bidi isolates
}

// The whole result with every string and key TerminalSafe.
nlohmann::json Neutralised(const nlohmann::json& j) {
  if (j.is_string()) return TerminalSafe(j.get_ref<const std::string&>());
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : j) out.push_back(Neutralised(item));
    return out;
  }
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : j.items()) out[TerminalSafe(key)] = Neutralised(value);
    return out;
  }
  return j;
}

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

// The columns that fit the rows: one that is empty in every row (a host's IP
// for stock items) is left out, and a list shows its first item and a count
// (a switch's 52 MACs would make every row a thousand characters wide).
std::string RenderAssets(const nlohmann::json& result) {
  const std::vector<std::pair<std::string, std::string>> kColumns = {
      {"ID", "id"},         {"TAG", "asset_tag"}, {"HOSTNAME", "hostname"},
      {"CLASS", "class"},   {"STATE", "state"},   {"OWNER", "owner"},
      {"HOLDER", "holder"}, {"DUE", "due"},       {"OS", "os"},
      {"IP", "ips"},        {"MAC", "macs"},      {"LAST SEEN", "last_seen"}};
  auto view = ListOf("assets", result);
  if (!view.ok()) return view.status().message() + "\n";
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows(view->rows->size());
  for (const auto& [title, name] : kColumns) {
    const ListColumn* column = nullptr;
    for (const auto& c : view->columns) {
      if (c.name == name) column = &c;
    }
    std::vector<std::string> cells;
    bool any = false;
    for (const auto& a : *view->rows) {
      std::string cell = column->value(a);
      if (name == "ips" || name == "macs") {
        const auto& list = a.value(name, nlohmann::json::array());
        cell = list.empty() ? "" : list.front().get<std::string>();
        if (list.size() > 1) cell += " (+" + std::to_string(list.size() - 1) + ")";
      }
      any |= !cell.empty();
      cells.push_back(std::move(cell));
    }
    if (!any) continue;
    header.push_back(title);
    for (size_t i = 0; i < cells.size(); ++i) rows[i].push_back(std::move(cells[i]));
  }
  if (header.empty()) header.push_back("ID");
  return RenderTable(header, rows) + std::to_string(rows.size()) + " asset(s)\n";
}

// "dave (Dave Smith <dave@example.com>, Engineering)", then what they have.
std::string RenderPerson(const nlohmann::json& result) {
  const nlohmann::json& p = result.value("person", nlohmann::json::object());
  std::string details = Str(p, "full_name");
  if (!Str(p, "email").empty()) details += (details.empty() ? "<" : " <") + Str(p, "email") + ">";
  if (!Str(p, "department").empty())
    details += (details.empty() ? "" : ", ") + Str(p, "department");
  return Str(p, "name") + (details.empty() ? "" : " (" + details + ")") + " holds " +
         Str(result, "holds") + " asset(s) (" + Str(result, "overdue") + " overdue) and owns " +
         Str(result, "owns") + "\n" + RenderAssets(result);
}

std::string RenderPeople(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : result.at("people")) {
    rows.push_back({Str(p, "name"), Str(p, "full_name"), Str(p, "email"), Str(p, "department"),
                    Str(p, "owns"), Str(p, "holds"), Str(p, "overdue"), Str(p, "source")});
  }
  return RenderTable(
             {"NAME", "FULL NAME", "EMAIL", "DEPARTMENT", "OWNS", "HOLDS", "OVERDUE", "SOURCE"},
             rows) +
         std::to_string(rows.size()) + " person(s)\n";
}

std::string RenderCheck(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : result.at("problems")) {
    rows.push_back({Str(p, "asset_id"), Str(p, "asset_tag"), Str(p, "field"), Str(p, "value"),
                    Str(p, "reason")});
  }
  const std::string summary = Str(result, "invalid_assets") + " of " +
                              Str(result, "assets_checked") +
                              " asset(s) hold values the schema refuses\n";
  if (rows.empty())
    return "every stored value passes the schema (" + Str(result, "assets_checked") +
           " asset(s))\n";
  return RenderTable({"ASSET", "TAG", "FIELD", "VALUE", "WHY"}, rows) + summary +
         "correct them with estatectl set ASSET key=value (key= removes one)\n";
}

std::string RenderShow(const nlohmann::json& a) {
  std::string out;
  // A value stored before the schema (show's "invalid") is marked, not hidden.
  const nlohmann::json invalid = a.value("invalid", nlohmann::json::object());
  auto marked = [&](const std::string& field, const std::string& value) {
    return invalid.contains(field) ? value + "  [INVALID: " + Str(invalid, field.c_str()) +
                                         "; estatectl check lists them]"
                                   : value;
  };
  auto line = [&](const char* label, const std::string& value) {
    if (value.empty()) return;
    out += label;
    out.append(16 - std::min<size_t>(15, std::string(label).size()), ' ');
    out += value + "\n";
  };
  line("Asset", Str(a, "id"));
  line("Hostname", Str(a, "hostname"));
  line("FQDN", Str(a, "fqdn"));
  line("Class", Str(a, "asset_class").empty() ? "" : marked("class", Str(a, "asset_class")));
  line("OS", Str(a, "os"));
  line("Kernel", Str(a, "kernel"));
  line("Vendor", Str(a, "vendor"));
  line("Model", Str(a, "model"));
  line("Serial", Str(a, "serial"));
  line("Machine ID", Str(a, "machine_id"));
  line("Attached to", Str(a, "parent_id"));
  line("CPU threads", a.contains("cpu_logical") ? Str(a, "cpu_logical") : "");
  line("Memory", a.contains("memory_bytes") ? FormatBytes(Int(a, "memory_bytes")) : "");
  line("Packages", a.contains("software_count") ? Str(a, "software_count") : "");
  line("IPs", Str(a, "ips"));
  line("MACs", Str(a, "macs"));
  line("State", a.contains("state") ? marked("state", Str(a, "state"))
                                    : "discovered (not in the lifecycle)");
  line("Managed", a.value("managed", false) ? "yes" : "no (shadow device)");
  if (a.contains("as_of")) line("As of", Str(a, "as_of"));
  line("Device type", Str(a, "device_type"));
  line("Evidence", Str(a, "evidence"));
  line("Ignored", Str(a, "ignored_reason"));
  if (a.contains("attributes")) {
    for (const auto& [k, v] : a.at("attributes").items()) {
      line(k.c_str(), marked(k, v.get<std::string>()));
    }
  }
  if (a.contains("custody")) {
    const auto& c = a.at("custody");
    line("Checked out to", Str(c, "holder") + " since " +
                               FormatHumanTime(Int(c, "checked_out_at")) +
                               (Int(c, "due") ? ", due " + FormatHumanTime(Int(c, "due")) : ""));
  }
  if (a.contains("location")) {
    const auto& l = a.at("location");
    if (l.contains("switch_name")) {
      line("Switch port", Str(l, "switch_name") + " " + Str(l, "port") +
                              (l.contains("vlan") ? " vlan " + Str(l, "vlan") : ""));
    }
  }
  line("First seen", FormatHumanTime(Int(a, "first_seen")));
  line("Last seen", FormatHumanTime(Int(a, "last_seen")));
  if (a.contains("sources")) {
    for (const auto& s : a.at("sources")) {
      const std::string node = Str(s, "node_id");
      const std::string version =
          a.contains("source_versions") ? Str(a.at("source_versions"), node.c_str()) : "";
      line("Source", Str(s, "kind") + (version.empty() ? "" : " " + version) + " " +
                         Str(s, "node_id") + " (last report " +
                         FormatHumanTime(Int(s, "last_seen")) + ", sequence " +
                         Str(s, "last_sequence") + ")");
    }
  }
  if (a.contains("facts")) {
    for (const auto& [node, facts] : a.at("facts").items()) {
      out += RenderEndpointFacts(node, facts);
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
  if (a.contains("snmp")) out += RenderNetworkDevice(a.at("snmp"));
  return out;
}

std::string RenderHistory(const nlohmann::json& result) {
  std::string out;
  for (const auto& e : result.at("events")) {
    out += FormatHumanTime(Int(e, "at")) + "  " + Str(e, "kind") + "  by " +
           (Str(e, "source").empty() ? "?" : Str(e, "source")) + "  " + Str(e, "summary") + "\n";
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
                    Str(s, "sources"), FormatHumanTime(Int(s, "last_seen"))});
  }
  return RenderTable({"IP", "MAC", "VENDOR", "HOSTNAME", "SEEN BY", "LAST SEEN"}, rows);
}

std::string RenderAgents(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : result.at("agents")) {
    const bool revoked = a.value("revoked", false);
    rows.push_back({Str(a, "node_id"), Str(a, "hostname"), Str(a, "kind"), Str(a, "version"),
                    FormatHumanTime(Int(a, "enrolled_at")), FormatHumanTime(Int(a, "last_seen")),
                    Str(a, "last_address"),
                    revoked ? "revoked " + FormatHumanTime(Int(a, "revoked_at")) : "no"});
  }
  return RenderTable(
      {"NODE", "HOSTNAME", "KIND", "VERSION", "ENROLLED", "LAST SEEN", "LAST ADDRESS", "REVOKED"},
      rows);
}

std::string RenderKeyValues(const nlohmann::json& result);

// `inventory-user list`, and the one answer that shows a password.
std::string RenderInventoryUser(const nlohmann::json& result) {
  if (result.contains("password")) {
    return "inventory user " + Str(result, "name") + " added; its password (shown once):\n" +
           Str(result, "password") + "\n";
  }
  if (!result.contains("users")) return RenderKeyValues(result);
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : result.at("users")) {
    const bool revoked = u.value("revoked", false);
    rows.push_back({Str(u, "name"), FormatHumanTime(Int(u, "created_at")), Str(u, "created_by"),
                    revoked ? "revoked " + FormatHumanTime(Int(u, "revoked_at")) + " by " +
                                  Str(u, "revoked_by")
                            : "no"});
  }
  return RenderTable({"NAME", "CREATED", "BY", "REVOKED"}, rows);
}

// `shadow --explain NAME`: one row per known version and asset class, with
// the rule that decided its verdict, under the policy's order.
std::string RenderShadowExplain(const nlohmann::json& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : result.at("explain")) {
    std::string origins = Str(e, "origins");
    if (origins.empty()) origins = "-";
    if (e.value("distribution", false)) origins += " (distribution)";
    std::string asset_class = Str(e, "asset_class");
    rows.push_back({Str(e, "name"), Str(e, "version"), Str(e, "architecture"), origins,
                    asset_class.empty() ? "-" : asset_class, Str(e, "hosts"), Str(e, "verdict"),
                    Str(e, "decided_by")});
  }
  return RenderTable(
             {"NAME", "VERSION", "ARCH", "ORIGINS", "CLASS", "HOSTS", "VERDICT", "DECIDED BY"},
             rows) +
         "Rule order: " + Str(result, "order") + "\n";
}

std::string RenderShadow(const nlohmann::json& result) {
  if (result.contains("explain")) return RenderShadowExplain(result);
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
    out += Str(e, "seq") + "  " + FormatHumanTime(Int(e, "at")) + "  " + Str(e, "severity") + "  " +
           Str(e, "kind") + "  " + Str(e, "asset_id") + "  " + Str(e, "summary") + "\n";
  }
  if (out.empty()) out = "no events\n";
  // A page, not the whole log: say so, and how to get the rest.
  if (result.value("more", false)) {
    out += "more events follow: estatectl events --since " + Str(result, "last_seq") +
           " (or --limit N, up to 100000)\n";
  }
  return out;
}

// Counts as aligned tables, one per breakdown.
std::string RenderReport(const nlohmann::json& r) {
  std::string out = "Assets " + Str(r, "assets") + ", managed " + Str(r, "managed") +
                    ", shadow devices " + Str(r, "shadow_devices") + "\n";
  auto counts = [&](const char* key, const char* title) {
    if (!r.contains(key) || r.at(key).empty()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : r.at(key)) rows.push_back({Str(c, "name"), Str(c, "count")});
    out += "\n" + RenderTable({title, "COUNT"}, rows);
  };
  counts("by_class", "CLASS");
  counts("by_state", "STATE");
  counts("by_os", "OS");
  counts("by_vendor", "VENDOR");
  counts("by_device_type", "DEVICE TYPE");
  counts("by_security_gap", "LACKING");
  counts("software_installs", "SOFTWARE");
  auto list = [&](const char* key, const char* title, std::vector<std::string> header,
                  std::vector<const char*> fields) {
    if (!r.contains(key) || !r.at(key).is_array() || r.at(key).empty()) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& item : r.at(key)) {
      rows.emplace_back();
      for (const char* f : fields) rows.back().push_back(Str(item, f));
    }
    out += "\n" + std::string(title) + " (" + std::to_string(rows.size()) + "):\n" +
           RenderTable(header, rows);
  };
  list("overdue", "Overdue", {"ASSET", "HOLDER", "DUE"}, {"asset_id", "holder", "due"});
  list("missing", "Missing", {"ASSET", "HOSTNAME", "LAST SEEN"},
       {"asset_id", "hostname", "last_seen"});
  list("stale", "Stale", {"ASSET", "HOSTNAME", "LAST SEEN"}, {"asset_id", "hostname", "last_seen"});
  list("warranty_ended", "In use with warranty ended",
       {"ASSET", "HOSTNAME", "STATE", "WARRANTY END", "FROM"},
       {"asset_id", "hostname", "state", "warranty_end", "source"});
  list("expiring", "Expiring", {"KIND", "ID", "WHAT", "END", "DAYS LEFT"},
       {"kind", "id", "what", "end", "days_left"});
  if (r.contains("drift")) {
    out += "\nDrift: " + Str(r.at("drift"), "items") + " open difference(s) on " +
           Str(r.at("drift"), "assets") + " asset(s)\n";
  }
  if (r.contains("software_findings")) {
    out += "Software findings: " + Str(r, "software_findings") + "\n";
  }
  if (r.contains("value") && r.at("value").is_object()) {
    const auto& v = r.at("value");
    auto money = [&](const char* key, const char* title) {
      if (!v.contains(key) || v.at(key).empty()) return;
      std::vector<std::vector<std::string>> rows;
      for (const auto& c : v.at(key)) {
        rows.push_back({Str(c, "name"), Str(c, "currency"), Str(c, "items"), Str(c, "cost"),
                        Str(c, "book_value")});
      }
      out += "\n" + RenderTable({title, "CURRENCY", "ITEMS", "COST", "BOOK VALUE"}, rows);
    };
    out += "\nValue on " + Str(v, "at") + ":\n";
    money("by_class", "CLASS");
    money("by_department", "DEPARTMENT");
    money("by_location", "LOCATION");
    money("by_owner", "OWNER");
  }
  return out;
}

// approve device, ignore device, accept: each asset and what changed (or would).
std::string RenderBulk(const nlohmann::json& r) {
  const bool dry = r.value("dry_run", false);
  std::string out;
  for (const auto& a : r.at("assets")) {
    out += Str(a, "asset_id") + (Str(a, "hostname").empty() ? "" : " (" + Str(a, "hostname") + ")");
    if (a.contains("accepted")) out += ": baseline " + Str(a, "accepted");
    out += "\n";
    for (const auto& c : a.value("changes", nlohmann::json::array())) {
      out += "    " + Str(c, "field") + ": " + Str(c, "before") + " -> " + Str(c, "after") + "\n";
    }
  }
  out += std::string(dry ? "would change " : "changed ") + Str(r, "count") + " asset(s)" +
         (dry ? " (dry run: nothing was changed)" : "") + "\n";
  return out;
}

bool IsTimeKey(const std::string& key) {
  return key == "at" || key == "due" || key == "first_seen" || key == "last_seen" ||
         (key.size() > 3 && key.compare(key.size() - 3, 3, "_at") == 0);
}

std::string RenderKeyValues(const nlohmann::json& result) {
  std::string out;
  const nlohmann::json estimates = result.value("estimates", nlohmann::json::array());
  for (const auto& [key, value] : result.items()) {
    if (key == "estimates") continue;
    const bool estimate = std::find(estimates.begin(), estimates.end(), key) != estimates.end();
    out += key;
    out.append(key.size() < 24 ? 24 - key.size() : 1, ' ');
    if (value.is_number_integer() && IsTimeKey(key)) {
      out += FormatHumanTime(value.get<int64_t>()) + "\n";
    } else if (estimate) {
      out += "~" + value.dump() + " (an estimate)\n";
    } else {
      out += (value.is_string() ? value.get<std::string>() : value.dump()) + "\n";
    }
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

std::string FormatHumanTime(int64_t epoch_seconds) {
  return epoch_seconds <= 0 ? "-" : FormatIsoUtc(epoch_seconds);
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

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto [cp, len] = DecodeUtf8(text, i);
    if (len == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD
      ++i;
      continue;
    }
    if (!IsTerminalControl(cp)) {
      out.append(text.substr(i, len));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else {
      char escape[16];
      std::snprintf(escape, sizeof escape, cp < 0x80 ? "\\x%02x" : "\\u%04x",
                    static_cast<unsigned>(cp));
      out += escape;
    }
    i += len;
  }
  return out;
}

namespace {

// An import: the summary, then the lines worth reading (every line of a dry run).
std::string RenderImport(const nlohmann::json& result) {
  const bool dry = result.value("dry_run", false);
  std::string out;
  for (const auto& line : result.at("lines")) {
    std::string text = "line " + Str(line, "line") + ": " + Str(line, "action");
    if (!Str(line, "asset_id").empty()) text += " " + Str(line, "asset_id");
    if (!Str(line, "reason").empty()) text += ": " + Str(line, "reason");
    std::string changes;
    for (const auto& c : line.value("changes", nlohmann::json::array())) {
      changes += (changes.empty() ? "" : ", ") + Str(c, "field") + "=" + Str(c, "after");
    }
    if (!changes.empty() && Str(line, "action") != "create") text += " (" + changes + ")";
    out += text + "\n";
    for (const auto& k : line.value("kept", nlohmann::json::array())) {
      out += "  note: " + k.get<std::string>() + "\n";
    }
  }
  out += Str(result, "file") + (dry ? ": dry run, nothing written: " : ": ") +
         Str(result, "created") + " created, " + Str(result, "updated") + " updated, " +
         Str(result, "unchanged") + " unchanged, " + Str(result, "conflicts") + " conflicts, " +
         Str(result, "errors") + " errors";
  if (!dry && Str(result, "skipped") != "0") out += " (skipped)";
  out += "\n";
  if (!dry && !result.value("applied", false))
    out += "nothing to change: the store already holds this register\n";
  auto list = [&](const char* key) {
    std::string names;
    for (const auto& n : result.value(key, nlohmann::json::array())) {
      names += (names.empty() ? "" : ", ") + n.get<std::string>();
    }
    return names;
  };
  if (!list("people_created").empty()) out += "people new: " + list("people_created") + "\n";
  if (!list("locations_created").empty()) {
    out += "locations new: " + list("locations_created") + "\n";
  }
  if (!list("ignored_columns").empty())
    out += "columns left out: " + list("ignored_columns") + "\n";
  return out;
}

}  // namespace

std::string RenderForHumans(const std::string& command, const nlohmann::json& raw) {
  // Here, once, rather than in each renderer below: none of them can forget it.
  const nlohmann::json result = Neutralised(raw);
  if (command == "assets" && result.contains("assets")) return RenderAssets(result);
  if (command == "person" && result.contains("assets")) return RenderPerson(result);
  if (command == "person" && result.contains("created")) {
    std::string out = "people created " + Str(result, "created") + ", updated " +
                      Str(result, "updated") + ", unchanged " + Str(result, "unchanged") + "\n";
    const nlohmann::json skipped = result.value("skipped", nlohmann::json::array());
    if (!skipped.empty()) out += "skipped " + std::to_string(skipped.size()) + ":\n";
    for (const auto& line : skipped) out += "  " + line.get<std::string>() + "\n";
    return out;
  }
  if (command == "people" && result.contains("people")) return RenderPeople(result);
  if (command == "import" && result.contains("lines")) return RenderImport(result);
  if (command == "check" && result.contains("problems")) return RenderCheck(result);
  if (command == "show") return RenderShow(result);
  if (command == "history" && result.contains("events")) return RenderHistory(result);
  if (command == "sightings" && result.contains("sightings")) return RenderSightings(result);
  if (command == "shadow") return RenderShadow(result);
  if (command == "agents" && result.contains("agents")) return RenderAgents(result);
  if (command == "inventory-user") return RenderInventoryUser(result);
  if (command == "drift" && result.contains("drift")) return RenderDrift(result);
  if (command == "events" && result.contains("events")) return RenderEvents(result);
  if (command == "report" && result.contains("by_class")) return RenderReport(result);
  if (command == "value" && result.contains("totals")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& list : {result.at("totals"), result.value("total", nlohmann::json::array())}) {
      for (const auto& c : list) {
        rows.push_back({Str(c, "name").empty() ? "TOTAL" : Str(c, "name"), Str(c, "currency"),
                        Str(c, "items"), Str(c, "cost"), Str(c, "book_value"),
                        Str(c, "without_cost")});
      }
    }
    return "Value on " + Str(result, "at") + " by " + Str(result, "by") + ":\n" +
           RenderTable({"NAME", "CURRENCY", "ITEMS", "COST", "BOOK VALUE", "NO COST"}, rows);
  }
  if (command == "location" && result.contains("locations")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : result.at("locations")) {
      const std::string where =
          Str(m, "subnet").empty()
              ? Str(m, "switch") + (Str(m, "port").empty() ? "" : " " + Str(m, "port"))
              : Str(m, "subnet");
      rows.push_back({Str(m, "kind"), where, Str(m, "path")});
    }
    return RenderTable({"KIND", "SEEN AT", "LOCATION"}, rows);
  }
  if (command == "audit" && result.contains("audits")) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : result.at("audits")) {
      rows.push_back({Str(a, "name"), Str(a, "state"), Str(a, "expected"), Str(a, "started_at"),
                      Str(a, "closed_at"), Str(a, "scope")});
    }
    return RenderTable({"NAME", "STATE", "EXPECTED", "STARTED", "CLOSED", "SCOPE"}, rows);
  }
  if (command == "audit" && result.contains("counts") && result.contains("assets")) {
    std::string out = "Audit " + Str(result.at("audit"), "name") + " (" +
                      Str(result.at("audit"), "state") + "), " + Str(result, "expected") +
                      " expected:";
    for (const auto& [k, v] : result.at("counts").items()) out += " " + k + " " + v.dump();
    out += "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : result.at("assets")) {
      rows.push_back({Str(r, "status"), Str(r, "asset_id"), Str(r, "code"), Str(r, "hostname"),
                      Str(r, "recorded_location"), Str(r, "seen_location"), Str(r, "evidence")});
    }
    return out + RenderTable(
                     {"STATUS", "ASSET", "CODE", "HOSTNAME", "RECORDED", "SEEN", "EVIDENCE"}, rows);
  }
  if (command == "audit" && result.contains("confirmations")) {
    std::string out = "confirmed " + Str(result, "confirmed") + ", repeated " +
                      Str(result, "repeated") + ", unknown " +
                      std::to_string(result.at("unknown").size()) + "\n";
    for (const auto& u : result.at("unknown")) {
      out += "  line " + Str(u, "line") + ": no asset has tag or serial '" + Str(u, "code") + "'\n";
    }
    return out;
  }
  if (result.contains("assets") && result.contains("dry_run")) return RenderBulk(result);
  // Commands answering with the changed asset show it as `show` does.
  static const std::vector<std::string> kAssetAnswers = {"register", "set",   "checkout", "checkin",
                                                         "state",    "merge", "split"};
  if (result.contains("id") &&
      std::find(kAssetAnswers.begin(), kAssetAnswers.end(), command) != kAssetAnswers.end()) {
    return RenderShow(result);
  }
  if (result.is_object()) return RenderKeyValues(result);
  return result.dump(2) + "\n";
}

}  // namespace estate::collector
