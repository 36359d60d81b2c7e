#include "collector/estatectl/html_report.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "collector/estatectl/render.h"
#include "collector/estatectl/svg_chart.h"

namespace estate::collector {
namespace {

using json = nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int64_t Int(const json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

const json& Arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

std::string Time(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const json& v = j.at(key);
  return v.is_number() ? FormatHumanTime(v.get<int64_t>()) : Str(j, key);
}

// A word for a shell: quoted unless it is plainly safe.
std::string ShellWord(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-_./:=@,").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Where an asset is: its location attribute, else the switch it was seen on.
std::string LocationOf(const json& a) {
  std::string where = a.contains("attributes") ? Str(a["attributes"], "location") : "";
  if (where.empty() && a.contains("location")) where = Str(a["location"], "switch_name");
  return where;
}

std::string FirstIp(const json& a) {
  const json& ips = Arr(a, "ips");
  if (!ips.empty() && ips[0].is_string()) return ips[0].get<std::string>();
  return a.contains("location") ? Str(a["location"], "ip") : "";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The page being written: sections, anchors, the tables behind the figures.
class Page {
 public:
  Page(const HtmlReportData& data, const HtmlReportLimits& limits) : data_(data), limits_(limits) {}

  std::string Anchor() { return "t" + std::to_string(++anchors_); }

  void Heading(const std::string& id, const std::string& title) {
    body_ += "<h2 id=\"" + id + "\">" + HtmlEscape(title) + "</h2>\n";
    toc_ += "<li><a href=\"#" + id + "\">" + HtmlEscape(title) + "</a></li>";
  }
  void Raw(const std::string& html) { body_ += html; }
  void Para(const std::string& text) { body_ += "<p>" + HtmlEscape(text) + "</p>\n"; }

  // A table of at most limits.rows rows, the full count, and the command that lists them all.
  void Table(const std::string& id, const std::string& title,
             const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, size_t total,
             const std::string& command) {
    std::string t = "<section class=\"list\" id=\"" + id + "\"><h3>" + HtmlEscape(title) +
                    " <span class=\"count\">(" + std::to_string(total) + ")</span></h3>";
    if (rows.empty()) {
      t += "<p class=\"none\">none</p>";
    } else {
      t += "<table><thead><tr>";
      for (const auto& h : header) t += "<th>" + HtmlEscape(h) + "</th>";
      t += "</tr></thead><tbody>";
      for (size_t r = 0; r < rows.size() && r < limits_.rows; ++r) {
        t += "<tr>";
        for (const auto& cell : rows[r]) t += "<td>" + HtmlEscape(cell) + "</td>";
        t += "</tr>";
      }
      t += "</tbody></table>";
      if (total > std::min(rows.size(), limits_.rows)) {
        t += "<p class=\"more\">Showing " + std::to_string(std::min(rows.size(), limits_.rows)) +
             " of " + std::to_string(total) + ".</p>";
      }
    }
    if (!command.empty()) t += "<p class=\"cmd\"><code>" + HtmlEscape(command) + "</code></p>";
    lists_ += t + "</section>\n";
  }

  // `estatectl WORDS... [scope]`.
  std::string Command(const std::vector<std::string>& words) const {
    std::string out = "estatectl";
    for (const auto& w : words) out += " " + ShellWord(w);
    if (!data_.scope.empty()) out += " " + data_.scope;
    return out;
  }

  std::string Finish(const std::string& header) const {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width\">"
           // No fetch of any kind, even if something slipped through the escaping.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">"
           "<title>Estate report</title><style>" +
           std::string(kStyle) + "</style></head><body>\n" + header + "<nav><ol>" + toc_ +
           "<li><a href=\"#lists\">Lists behind the figures</a></li></ol></nav>\n" + body_ +
           "<h2 id=\"lists\">Lists behind the figures</h2>\n" + lists_ + "</body></html>\n";
  }

  const HtmlReportData& data() const { return data_; }
  const HtmlReportLimits& limits() const { return limits_; }

 private:
  static constexpr const char* kStyle =
      "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#222}"
      "h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:1.8em}"
      "h3{font-size:1.05em;margin:1.2em 0 .4em}.count{color:#666;font-weight:normal}"
      ".tiles{display:flex;gap:1em;flex-wrap:wrap}.tile{background:#eef2f7;padding:.6em 1em;"
      "border-radius:6px}.tile b{display:block;font-size:1.5em}"
      "table{border-collapse:collapse;width:100%;font-size:12px}"
      "th,td{border-bottom:1px solid #e3e3e3;padding:2px 6px;text-align:left;"
      "overflow-wrap:anywhere}th{background:#f4f6f8}"
      "svg{display:block;margin:.4em 0;font:11px system-ui,sans-serif}svg a rect:hover,"
      "svg a circle:hover{opacity:.7}.cmd code{background:#f4f6f8;padding:1px 4px}"
      ".more,.none,.note{color:#666}section.list{margin-bottom:1em}";
  const HtmlReportData& data_;
  const HtmlReportLimits& limits_;
  size_t anchors_ = 0;
  std::string toc_, body_, lists_;
};

std::vector<std::string> AssetRow(const json& a) {
  return {Str(a, "id"),    Str(a, "hostname"), Str(a, "asset_class"),
          Str(a, "state"), Str(a, "os"),       Str(a, "vendor"),
          FirstIp(a),      LocationOf(a),      Time(a, "last_seen")};
}
const std::vector<std::string> kAssetHeader = {"ID",     "HOST", "CLASS",    "STATE",    "OS",
                                               "VENDOR", "IP",   "LOCATION", "LAST SEEN"};

// Assets grouped by one field: a bar each for the largest groups, one
// "other" bar for the rest; each bar links to its table.
void AssetsBy(Page& page, const std::string& title, const std::string& option,
              const std::function<std::string(const json&)>& key, const std::string& fallback) {
  std::map<std::string, std::vector<const json*>> groups;
  for (const auto& a : page.data().assets) {
    std::string k = key(a);
    groups[k.empty() ? fallback : k].push_back(&a);
  }
  std::vector<std::pair<std::string, std::vector<const json*>>> sorted(groups.begin(),
                                                                       groups.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& x, const auto& y) { return x.second.size() > y.second.size(); });
  std::vector<Bar> bars;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const bool other = i >= page.limits().bars;
    if (other && i > page.limits().bars) continue;
    std::vector<const json*> members;
    std::string label = sorted[i].first;
    if (other) {
      label = "other (" + std::to_string(sorted.size() - i) + " more)";
      for (size_t j = i; j < sorted.size(); ++j) {
        members.insert(members.end(), sorted[j].second.begin(), sorted[j].second.end());
      }
    } else {
      members = sorted[i].second;
    }
    const std::string id = page.Anchor();
    bars.push_back({label, members.size(), "#" + id});
    std::vector<std::vector<std::string>> rows;
    for (size_t r = 0; r < members.size() && r < page.limits().rows; ++r) {
      rows.push_back(AssetRow(*members[r]));
    }
    const bool filterable = !other && label != fallback;
    page.Table(id, title + ": " + label, kAssetHeader, rows, members.size(),
               filterable ? page.Command({"assets", "--" + option, label}) : "");
  }
  page.Raw("<h3>" + HtmlEscape(title) + "</h3>" + BarChart(bars));
}

// Events of `kinds` per day (or per several days, to fit the buckets), one
// series per value of `series_of`; each series links to its latest events.
// A colour per series name that reads at a glance (red for critical); others the palette's.
std::string SeriesColour(const std::string& name, size_t k) {
  static const std::map<std::string, std::string> kColours = {
      {"critical", "#b2182b"}, {"high", "#ef8a62"},   {"medium", "#e6c14f"}, {"low", "#67a9cf"},
      {"info", "#bababa"},     {"shadow", "#d9822b"}, {"managed", "#3b6ea8"}};
  auto it = kColours.find(name);
  static const char* const kOthers[] = {"#4a9c5d", "#7d5ba6", "#8c6d46", "#6f7a86"};
  return it != kColours.end() ? it->second : kOthers[k % std::size(kOthers)];
}

void EventSeries(Page& page, const std::string& title, const std::set<std::string>& kinds,
                 const std::vector<std::string>& order,
                 const std::function<std::string(const json&)>& series_of,
                 const std::string& command_kind) {
  std::vector<const json*> events;
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (const auto& e : page.data().events) {
    if (!kinds.count(Str(e, "kind"))) continue;
    events.push_back(&e);
    const int64_t day = Int(e, "at") / 86400;
    first = std::min(first, day);
    last = std::max(last, day);
  }
  if (events.empty()) {
    page.Raw("<h3>" + HtmlEscape(title) + "</h3><p class=\"none\">no events</p>");
    return;
  }
  const int64_t span = last - first + 1;
  const int64_t width = (span + static_cast<int64_t>(page.limits().buckets) - 1) /
                        static_cast<int64_t>(page.limits().buckets);
  StackedSeries s;
  for (int64_t d = first; d <= last; d += width) {
    s.buckets.push_back(FormatHumanTime(d * 86400).substr(0, 10));
  }
  std::vector<std::string> names = order;
  for (const json* e : events) {
    const std::string name = series_of(*e);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::vector<std::vector<const json*>> members(names.size());
  s.values.assign(names.size(), std::vector<uint64_t>(s.buckets.size(), 0));
  for (const json* e : events) {
    const size_t k = std::find(names.begin(), names.end(), series_of(*e)) - names.begin();
    ++s.values[k][static_cast<size_t>((Int(*e, "at") / 86400 - first) / width)];
    members[k].push_back(e);
  }
  for (size_t k = 0; k < names.size(); ++k) {
    if (members[k].empty()) continue;  // a legend only of what is there
    const std::string id = page.Anchor();
    s.names.push_back(names[k]);
    s.hrefs.push_back("#" + id);
    s.colours.push_back(SeriesColour(names[k], k));
    std::vector<std::vector<std::string>> rows;
    // Newest first: the latest is what one looks for.
    for (auto it = members[k].rbegin(); it != members[k].rend() && rows.size() < page.limits().rows;
         ++it) {
      rows.push_back({Str(**it, "seq"), Time(**it, "at"), Str(**it, "kind"), Str(**it, "severity"),
                      Str(**it, "asset_id"), Str(**it, "summary")});
    }
    page.Table(id, title + ": " + names[k], {"SEQ", "TIME", "KIND", "SEVERITY", "ASSET", "SUMMARY"},
               rows, members[k].size(), "estatectl events --kind " + command_kind);
  }
  // Series without events were dropped from the legend: drop their values too.
  std::vector<std::vector<uint64_t>> kept;
  for (size_t k = 0; k < names.size(); ++k) {
    if (!members[k].empty()) kept.push_back(s.values[k]);
  }
  s.values = std::move(kept);
  page.Raw("<h3>" + HtmlEscape(title) + "</h3>" + StackedColumns(s));
}

void Summary(Page& page) {
  page.Heading("summary", "Estate summary");
  AssetsBy(
      page, "Assets by class", "class", [](const json& a) { return Str(a, "asset_class"); },
      "unknown");
  AssetsBy(
      page, "Assets by state", "state", [](const json& a) { return Str(a, "state"); },
      "discovered");
  AssetsBy(
      page, "Assets by OS", "os", [](const json& a) { return Str(a, "os"); }, "unknown");
  AssetsBy(
      page, "Assets by vendor", "vendor", [](const json& a) { return Str(a, "vendor"); },
      "unknown");
  AssetsBy(page, "Assets by location", "location", LocationOf, "unplaced");
}

void History(Page& page) {
  page.Heading("history", "Managed and shadow over time");
  EventSeries(
      page, "New shadow devices and newly managed assets",
      {"shadow_device", "managed", "registered"}, {"shadow", "managed"},
      [](const json& e) { return Str(e, "kind") == "shadow_device" ? "shadow" : "managed"; },
      "shadow_device");
  page.Heading("drift", "Drift by severity over time");
  EventSeries(
      page, "Drift events by severity", {"drift"}, {"critical", "high", "medium", "low", "info"},
      [](const json& e) {
        std::string s = Str(e, "severity");
        return s.empty() ? std::string("info") : s;
      },
      "drift");
}

void Software(Page& page) {
  const HtmlReportData& d = page.data();
  page.Heading("software", "Software");
  std::vector<Bar> bars;
  std::vector<std::vector<std::string>> rows;
  const std::string installs_id = page.Anchor();
  for (const auto& t : Arr(d.report, "software_installs")) {
    bars.push_back({Str(t, "name"), static_cast<uint64_t>(Int(t, "count")), "#" + installs_id});
    rows.push_back({Str(t, "name"), Str(t, "count")});
  }
  page.Table(installs_id, "Top software titles by installs", {"TITLE", "INSTALLS"}, rows,
             rows.size(), page.Command({"report"}));
  page.Raw(
      "<h3>Top titles by installs</h3>" +
      (bars.empty() ? std::string("<p class=\"none\">no software reported</p>") : BarChart(bars)));
  // Not approved software: prohibited first, with the hosts that run it.
  bars.clear();
  rows.clear();
  const std::string flagged_id = page.Anchor();
  const json& flagged = Arr(d.shadow, "software");
  for (const auto& f : flagged) {
    std::string versions;
    for (const auto& v : Arr(f, "versions")) {
      versions += (versions.empty() ? "" : " ") + (v.is_string() ? v.get<std::string>() : "");
    }
    rows.push_back({Str(f, "verdict"), Str(f, "kind"), Str(f, "name"), versions, Str(f, "hosts")});
    if (bars.size() < page.limits().bars) {
      bars.push_back({Str(f, "verdict") + ": " + Str(f, "name"),
                      static_cast<uint64_t>(Int(f, "hosts")), "#" + flagged_id});
    }
  }
  page.Table(flagged_id, "Prohibited, unapproved and unknown software",
             {"VERDICT", "KIND", "NAME", "VERSIONS", "HOSTS"}, rows, flagged.size(),
             "estatectl shadow --software --hosts");
  page.Raw("<h3>Prohibited, unapproved and unknown software (hosts)</h3>" +
           (bars.empty() ? std::string("<p class=\"none\">none</p>") : BarChart(bars)));
}

void Licences(Page& page) {
  const HtmlReportData& d = page.data();
  page.Heading("licences", "Licences and compliance");
  if (!d.compliance.is_object()) {
    page.Para("No compliance answer from the collector.");
    return;
  }
  std::vector<Bar> bars;
  std::vector<std::vector<std::string>> rows;
  const std::string id = page.Anchor();
  for (const auto& p : Arr(d.compliance, "products")) {
    rows.push_back({Str(p, "product"), Str(p, "status"), Str(p, "entitled"), Str(p, "used"),
                    Str(p, "available"), Str(p, "unlicensed_installs")});
    if (bars.size() < page.limits().bars) {
      bars.push_back({Str(p, "product") + " (" + Str(p, "status") + ")",
                      static_cast<uint64_t>(Int(p, "used")), "#" + id});
    }
  }
  page.Table(id, "Licensed products",
             {"PRODUCT", "STATUS", "ENTITLED", "USED", "AVAILABLE", "UNLICENSED"}, rows,
             rows.size(), "estatectl compliance");
  page.Raw(
      "<h3>Licensed products: installs in use</h3>" +
      (bars.empty() ? std::string("<p class=\"none\">no licences recorded</p>") : BarChart(bars)));
}

void Ending(Page& page) {
  const HtmlReportData& d = page.data();
  page.Heading("expiring", "Expiring contracts, licences and warranties");
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : Arr(d.report, "expiring")) {
    rows.push_back(
        {Str(e, "kind"), Str(e, "id"), Str(e, "what"), Str(e, "end"), Str(e, "days_left")});
  }
  const std::string expiring_id = page.Anchor(), ended_id = page.Anchor();
  page.Raw("<p><a href=\"#" + expiring_id + "\">" + std::to_string(rows.size()) +
           " ending within 90 days</a>, <a href=\"#" + ended_id + "\">" +
           std::to_string(Arr(d.report, "warranty_ended").size()) +
           " in use with their warranty ended</a>.</p>");
  page.Table(expiring_id, "Ending within 90 days", {"KIND", "ID", "WHAT", "END", "DAYS LEFT"}, rows,
             rows.size(), page.Command({"report", "--expiring", "90d"}));
  rows.clear();
  for (const auto& e : Arr(d.report, "warranty_ended")) {
    rows.push_back({Str(e, "asset_id"), Str(e, "hostname"), Str(e, "state"), Str(e, "warranty_end"),
                    Str(e, "source")});
  }
  page.Table(ended_id, "In use, warranty ended",
             {"ASSET", "HOST", "STATE", "WARRANTY END", "SOURCE"}, rows, rows.size(),
             page.Command({"report"}));
}

void Stale(Page& page) {
  const HtmlReportData& d = page.data();
  page.Heading("stale", "Stale and unverified assets");
  std::vector<Bar> bars;
  auto list = [&](const char* key, const std::string& title) {
    const std::string id = page.Anchor();
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : Arr(d.report, key)) {
      rows.push_back({Str(a, "asset_id"),
                      Str(a, "hostname").empty() ? Str(a, "holder") : Str(a, "hostname"),
                      Str(a, "last_seen").empty() ? Str(a, "due") : Str(a, "last_seen")});
    }
    bars.push_back({title, rows.size(), "#" + id});
    page.Table(id, title, {"ASSET", "HOST / HOLDER", "LAST SEEN / DUE"}, rows, rows.size(),
               page.Command({"report"}));
  };
  list("stale", "Managed, not seen for 30 days");
  list("missing", "Missing");
  list("overdue", "Checked out, overdue");
  // Unverified: on the network, but nobody manages or vouched for them.
  const std::string id = page.Anchor();
  std::vector<std::vector<std::string>> rows;
  size_t shadow = 0;
  for (const auto& a : d.assets) {
    if (a.value("managed", false) || !Str(a, "ignored_reason").empty()) continue;
    if (++shadow <= page.limits().rows) rows.push_back(AssetRow(a));
  }
  bars.push_back({"Shadow (unmanaged) devices", shadow, "#" + id});
  page.Table(id, "Shadow (unmanaged) devices", kAssetHeader, rows, shadow,
             page.Command({"assets", "--shadow"}));
  page.Raw(BarChart(bars));
}

void Map(Page& page) {
  const HtmlReportData& d = page.data();
  const HtmlReportLimits& limits = page.limits();
  page.Heading("map", "Network map");
  // Switches: the network devices named by the hosts' switch ports, and those
  // discovery calls switches; known by host name and address.
  std::vector<MapNode> nodes;
  std::vector<std::string> groups;
  std::map<std::string, size_t> group_of;
  std::map<std::string, size_t> switch_by_name;  // lower-case name or IP -> node
  std::vector<const json*> switch_asset;
  auto group = [&](const std::string& label) {
    auto [it, added] = group_of.emplace(label, groups.size());
    if (added) groups.push_back(label);
    return it->second;
  };
  auto subnet = [](const std::string& ip) {
    const size_t dot = ip.rfind('.');
    if (ip.find(':') != std::string::npos || dot == std::string::npos) return std::string();
    return ip.substr(0, dot) + ".0/24";
  };
  auto add_switch = [&](const std::string& name, const json* asset) {
    const std::string ip = asset ? FirstIp(*asset) : "";
    std::string where =
        asset && asset->contains("attributes") ? Str((*asset)["attributes"], "location") : "";
    where = !where.empty() ? "site " + where
                           : (!subnet(ip).empty() ? "subnet " + subnet(ip) : "unplaced");
    MapNode n;
    n.label = name;
    n.is_switch = true;
    n.group = group(where);
    nodes.push_back(n);
    switch_asset.push_back(asset);
    switch_by_name.emplace(Lower(name), nodes.size() - 1);
    if (!ip.empty()) switch_by_name.emplace(ip, nodes.size() - 1);
    return nodes.size() - 1;
  };
  std::map<size_t, std::vector<const json*>> hosts_of;
  for (const auto& a : d.assets) {
    if (Str(a, "device_type") == "switch" && nodes.size() < limits.map_switches) {
      add_switch(Str(a, "hostname").empty() ? FirstIp(a) : Str(a, "hostname"), &a);
    }
  }
  size_t unplaced_switches = 0;
  for (const auto& a : d.assets) {
    const std::string sw = a.contains("location") ? Str(a["location"], "switch_name") : "";
    if (sw.empty() || Str(a, "device_type") == "switch") continue;
    auto it = switch_by_name.find(Lower(sw));
    size_t s;
    if (it != switch_by_name.end()) {
      s = it->second;
    } else if (nodes.size() < limits.map_switches) {
      s = add_switch(sw, nullptr);  // a switch only its hosts' ports name
    } else {
      ++unplaced_switches;
      continue;
    }
    hosts_of[s].push_back(&a);
  }
  const size_t switches = nodes.size();
  // The drawing budget spread evenly: every switch shows some of its hosts.
  const size_t per_switch =
      switches ? std::clamp<size_t>(limits.map_hosts / switches, 1, limits.hosts_per_switch) : 0;
  size_t hosts_total = 0, hosts_drawn = 0;
  for (size_t s = 0; s < switches; ++s) {
    const auto& hosts = hosts_of[s];
    hosts_total += hosts.size();
    const std::string id = page.Anchor();
    nodes[s].href = "#" + id;
    nodes[s].tooltip = nodes[s].label + ": " + std::to_string(hosts.size()) + " hosts";
    std::vector<std::vector<std::string>> rows;
    for (size_t h = 0; h < hosts.size(); ++h) {
      const json& a = *hosts[h];
      const json& loc = a["location"];
      if (h < per_switch) {
        MapNode n;
        n.label = Str(a, "hostname").empty() ? FirstIp(a) : Str(a, "hostname");
        n.tooltip = n.label + " on " + nodes[s].label + " " + Str(loc, "port");
        n.href = nodes[s].href;
        n.group = nodes[s].group;
        n.parent = s;
        nodes.push_back(n);
        ++hosts_drawn;
      }
      if (rows.size() < limits.rows) {
        rows.push_back({Str(loc, "port"), Str(loc, "vlan"), Str(a, "id"), Str(a, "hostname"),
                        FirstIp(a), Str(a, "device_type"),
                        a.value("managed", false) ? "yes" : "no"});
      }
    }
    page.Table(id, "Hosts on " + nodes[s].label,
               {"PORT", "VLAN", "ASSET", "HOST", "IP", "TYPE", "MANAGED"}, rows, hosts.size(),
               page.Command({"assets", "--location", nodes[s].label}));
  }
  // Links between switches: their LLDP/CDP neighbours, each pair once.
  std::set<std::pair<size_t, size_t>> pairs;
  for (const auto& device : d.devices) {
    const json& snmp = device.contains("snmp") ? device["snmp"] : device;
    auto from = switch_by_name.find(Lower(Str(device, "hostname")));
    if (from == switch_by_name.end()) from = switch_by_name.find(Lower(Str(snmp, "sys_name")));
    if (from == switch_by_name.end()) continue;
    for (const auto& n : Arr(snmp, "neighbors")) {
      auto to = switch_by_name.find(Lower(Str(n, "remote_name")));
      if (to == switch_by_name.end()) to = switch_by_name.find(Str(n, "remote_address"));
      if (to == switch_by_name.end() || to->second == from->second) continue;
      pairs.emplace(std::min(from->second, to->second), std::max(from->second, to->second));
    }
  }
  std::vector<MapLink> links;
  for (const auto& [a, b] : pairs) links.push_back({a, b});
  page.Raw("<p class=\"note\">" + std::to_string(switches) + " switches, " +
           std::to_string(links.size()) + " links between them (LLDP/CDP), " +
           std::to_string(hosts_total) + " hosts placed on their ports by forwarding tables (" +
           std::to_string(hosts_drawn) + " drawn; each switch links to its full list)" +
           (unplaced_switches
                ? ", " + std::to_string(unplaced_switches) + " hosts on switches beyond the " +
                      std::to_string(limits.map_switches) + " drawn"
                : std::string()) +
           ".</p>");
  page.Raw(switches ? NetworkMap(groups, nodes, links)
                    : std::string("<p class=\"none\">no host placed on a switch port</p>"));
}

}  // namespace

std::string RenderHtmlReport(const HtmlReportData& data, const HtmlReportLimits& limits) {
  Page page(data, limits);
  size_t managed = 0, shadow = 0;
  for (const auto& a : data.assets) {
    if (a.value("managed", false)) {
      ++managed;
    } else if (Str(a, "ignored_reason").empty()) {
      ++shadow;
    }
  }
  const json& drift = data.report.contains("drift") ? data.report["drift"] : json::object();
  auto tile = [](const std::string& what, const std::string& value) {
    return "<div class=\"tile\"><b>" + HtmlEscape(value) + "</b>" + HtmlEscape(what) + "</div>";
  };
  const std::string header =
      "<h1>Estate report</h1><p>Generated " + HtmlEscape(data.generated_at) +
      (data.scope.empty() ? std::string(", whole estate")
                          : ", scope <code>" + HtmlEscape(data.scope) + "</code>") +
      ".</p><div class=\"tiles\">" + tile("assets", std::to_string(data.assets.size())) +
      tile("managed", std::to_string(managed)) + tile("shadow devices", std::to_string(shadow)) +
      tile("assets drifted", Str(drift, "assets")) +
      tile("software findings", Str(data.report, "software_findings")) + "</div>\n";
  Summary(page);
  History(page);
  Software(page);
  Licences(page);
  Ending(page);
  Stale(page);
  Map(page);
  return page.Finish(header);
}

}  // namespace estate::collector
