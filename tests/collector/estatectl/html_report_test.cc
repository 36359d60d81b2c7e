// The HTML report, rendered from a simulated fleet's command answers: what it
// holds (escaped, bounded, no URL outside the file) and how headless
// Chromium draws it (marks per chart, map nodes and links, anchors, no
// console errors or blocked requests).
#include "collector/estatectl/html_report.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "collector/estatectl/render.h"
#include "collector/estatectl/svg_chart.h"
#include "tests/collector/estatectl/html_report_checks.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

using json = nlohmann::json;
using testing::ChromiumPath;
using testing::CountMarks;
using testing::RenderInChromium;
using testing::UnresolvedLinks;

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1796083200;  // 2026-12-01T00:00:00Z

const char* const kClasses[] = {"laptop", "desktop", "server", "printer", "phone"};
const char* const kStates[] = {"deployed", "in_stock", "checked_out", ""};
const char* const kOses[] = {"Debian GNU/Linux 12", "Windows 11", "macOS 14", ""};
const char* const kVendors[] = {"Dell Inc.", "Lenovo", "HP", "Apple", "Cisco"};
const char* const kSeverities[] = {"critical", "high", "medium", "low", "info"};
const std::string kScript = "<script>alert(1)</script>";
const std::string kBreakout = "\"><svg onload=alert(1)>";

// A fleet of `subnets` /24s, each with one access switch (uplinked to the
// previous one over LLDP) and `hosts` hosts on its ports, as the collector's
// commands would answer for it; two hosts carry hostile names.
HtmlReportData Fleet(int subnets, int hosts) {
  HtmlReportData d;
  d.generated_at = "2026-12-20T00:00:00Z";
  for (int s = 0; s < subnets; ++s) {
    const std::string sw = "sw-" + std::to_string(s);
    const std::string net = "10.1." + std::to_string(s) + ".";
    d.assets.push_back({{"id", "A-S" + std::to_string(s)},
                        {"hostname", sw},
                        {"asset_class", "network"},
                        {"device_type", "switch"},
                        {"vendor", "Cisco"},
                        {"managed", true},
                        {"ips", {net + "1"}},
                        {"attributes", {{"location", s % 2 ? "Branch" : "HQ"}}}});
    json snmp = {{"sys_name", sw}, {"neighbors", json::array()}};
    // Both ends of each uplink report it; a phone's LLDP is no switch link.
    if (s > 0)
      snmp["neighbors"].push_back(
          {{"protocol", "lldp"}, {"remote_name", "sw-" + std::to_string(s - 1)}});
    if (s + 1 < subnets)
      snmp["neighbors"].push_back(
          {{"protocol", "cdp"}, {"remote_address", "10.1." + std::to_string(s + 1) + ".1"}});
    snmp["neighbors"].push_back({{"protocol", "lldp"}, {"remote_name", "SEP00112233"}});
    d.devices.push_back({{"hostname", sw}, {"snmp", snmp}});
    for (int h = 0; h < hosts; ++h) {
      const int i = s * hosts + h;
      std::string name = "host-" + std::to_string(i);
      if (i == 1) name = kScript;
      if (i == 2) name = kBreakout;
      json a = {
          {"id", "A-" + std::to_string(i)},
          {"hostname", name},
          {"asset_class", kClasses[i % 5]},
          {"state", kStates[i % 4]},
          {"os", kOses[i % 4]},
          {"vendor", kVendors[i % 5]},
          {"managed", i % 7 != 0},
          {"ips", {net + std::to_string(10 + h)}},
          {"last_seen", kStart + 19 * kDay},
          {"location",
           {{"switch_name", sw}, {"port", "Gi1/0/" + std::to_string(h % 48 + 1)}, {"vlan", 10}}}};
      if (i % 3 == 0) a["attributes"] = {{"location", s % 2 ? "Branch" : "HQ"}};
      d.assets.push_back(std::move(a));
    }
  }
  uint64_t seq = 0;
  for (int i = 0; i < subnets * hosts; ++i) {
    const int64_t at = kStart + (i % 20) * kDay + 3600;
    const std::string asset = "A-" + std::to_string(i);
    if (i % 7 == 0)
      d.events.push_back({{"seq", ++seq},
                          {"at", at},
                          {"kind", "shadow_device"},
                          {"asset_id", asset},
                          {"summary", "new device " + kScript}});
    if (i % 5 == 0)
      d.events.push_back({{"seq", ++seq},
                          {"at", at},
                          {"kind", i % 2 ? "managed" : "registered"},
                          {"asset_id", asset}});
    if (i % 4 == 0)
      d.events.push_back({{"seq", ++seq},
                          {"at", kStart + (i % 13) * kDay},
                          {"kind", "drift"},
                          {"severity", kSeverities[i % 5]},
                          {"asset_id", asset}});
  }
  d.report = {
      {"assets", d.assets.size()},
      {"drift", {{"assets", 3}, {"items", 9}}},
      {"software_findings", 4},
      {"software_installs",
       {{{"name", "bash"}, {"count", 900}},
        {{"name", "openssl"}, {"count", 850}},
        {{"name", kBreakout}, {"count", 3}}}},
      {"stale",
       {{{"asset_id", "A-3"}, {"hostname", kScript}, {"last_seen", "2026-10-01T00:00:00Z"}}}},
      {"missing", json::array()},
      {"overdue", {{{"asset_id", "A-4"}, {"holder", "dave"}, {"due", "2026-12-01T00:00:00Z"}}}},
      {"expiring",
       {{{"kind", "licence"},
         {"id", "L-1"},
         {"what", "Office"},
         {"end", "2027-01-10"},
         {"days_left", 21}}}},
      {"warranty_ended",
       {{{"asset_id", "A-5"},
         {"hostname", "host-5"},
         {"state", "deployed"},
         {"warranty_end", "2026-01-01"},
         {"source", "warranty_end"}}}}};
  d.shadow = {{"software",
               {{{"verdict", "prohibited"},
                 {"kind", "package"},
                 {"name", "nmap"},
                 {"versions", {"7.93"}},
                 {"hosts", 4}},
                {{"verdict", "unknown"},
                 {"kind", "package"},
                 {"name", kScript},
                 {"versions", {"1"}},
                 {"hosts", 1}}}}};
  d.compliance = {{"products",
                   {{{"product", "Office"},
                     {"status", "over"},
                     {"entitled", 10},
                     {"used", 12},
                     {"available", 0},
                     {"unlicensed_installs", 2}}}}};
  return d;
}

size_t Distinct(const HtmlReportData& d, const std::function<std::string(const json&)>& key) {
  std::set<std::string> values;
  for (const auto& a : d.assets) values.insert(key(a));
  return values.size();
}

std::string Field(const json& a, const char* key) {
  return a.contains(key) && a[key].is_string() ? a[key].get<std::string>() : "";
}

// Non-empty (series, day) cells of the events of `kinds`: the column segments.
size_t Cells(const HtmlReportData& d, const std::set<std::string>& kinds, bool by_severity) {
  std::set<std::pair<std::string, int64_t>> cells;
  for (const auto& e : d.events) {
    if (!kinds.count(e["kind"])) continue;
    const std::string series =
        by_severity ? Field(e, "severity") : (e["kind"] == "shadow_device" ? "s" : "m");
    cells.emplace(series, e["at"].get<int64_t>() / kDay);
  }
  return cells.size();
}

TEST(HtmlEscape, MakesMarkupText) {
  EXPECT_EQ(HtmlEscape(kScript), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape(kBreakout), "&quot;&gt;&lt;svg onload=alert(1)&gt;");
  EXPECT_EQ(HtmlEscape("a'b&c"), "a&#39;b&amp;c");
  EXPECT_EQ(HtmlEscape("bell\x07"), "bell\\x07");
}

TEST(HtmlReport, HostileNamesStayText) {
  const std::string page = RenderHtmlReport(Fleet(2, 10));
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<svg onload"), std::string::npos);
  EXPECT_EQ(page.find("\"><svg"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&quot;&gt;&lt;svg onload=alert(1)&gt;"), std::string::npos);
}

TEST(HtmlReport, NamesNothingOutsideTheFile) {
  const std::string page = RenderHtmlReport(Fleet(3, 40));
  for (const char* outside :
       {"http:", "https:", "//", "src=", "url(", "@import", "<link", "<script"}) {
    EXPECT_EQ(page.find(outside), std::string::npos) << outside;
  }
  EXPECT_EQ(UnresolvedLinks(page), std::vector<std::string>{});
}

TEST(HtmlReport, ScopeShowsInTheCommandsBehindTheFigures) {
  HtmlReportData d = Fleet(1, 5);
  d.scope = "--location HQ";
  const std::string page = RenderHtmlReport(d);
  EXPECT_NE(page.find("scope <code>--location HQ</code>"), std::string::npos);
  EXPECT_NE(page.find("estatectl assets --class laptop --location HQ"), std::string::npos);
}

// 100,000 assets in 500 subnets: aggregated charts, truncated lists, a map
// within its budget, a page of a few MB. Prints the size for docs/report.md.
TEST(HtmlReport, StaysSmallForAHundredThousandAssets) {
  const HtmlReportData d = Fleet(500, 200);
  const auto start = std::chrono::steady_clock::now();
  const std::string page = RenderHtmlReport(d);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("100,000 assets: %zu bytes (%.2f MB) rendered in %.2f s\n", page.size(),
              page.size() / 1e6, seconds);
  EXPECT_LT(page.size(), 8u << 20);
  const HtmlReportLimits limits;
  EXPECT_EQ(CountMarks(page, "circle class=\"node switch\""), limits.map_switches);
  EXPECT_EQ(CountMarks(page, "circle class=\"node host\""), limits.map_hosts);
  EXPECT_NE(page.find("Showing 50 of 200."), std::string::npos) << "a switch's hosts, truncated";
  EXPECT_EQ(UnresolvedLinks(page), std::vector<std::string>{});
}

// The page as a browser draws it: Chromium's DOM, console and a screenshot.
TEST(HtmlReportInChromium, DrawsEveryMarkOfTheFleet) {
  const std::string chromium = ChromiumPath();
  if (chromium.empty())
    GTEST_SKIP() << "chromium-headless-shell is not installed (scripts/deps/report.txt)";
  constexpr int kSubnets = 4, kHosts = 60;
  const HtmlReportData d = Fleet(kSubnets, kHosts);
  TempDir dir;
  const std::string file = dir.path() + "/report.html";
  {
    std::ofstream out(file);
    out << RenderHtmlReport(d);
  }
  auto shown = RenderInChromium(chromium, file, dir.path() + "/report.png");
  ASSERT_TRUE(shown.ok) << shown.error;
  EXPECT_GT(shown.png_bytes, 1000u) << "no screenshot";
  // Left in the working directory (the build tree under ctest) to look at; docs/report.png
  // is this page.
  std::error_code ec;
  for (const char* kept : {"report.png", "report.html"}) {
    std::filesystem::copy_file(dir.path() + "/" + kept,
                               std::string("html_report_fleet.") + (kept + 7),
                               std::filesystem::copy_options::overwrite_existing, ec);
  }
  EXPECT_EQ(shown.console, std::vector<std::string>{})
      << "console messages (errors, blocked loads)";
  const std::vector<std::string>& svgs = shown.svgs;
  ASSERT_EQ(svgs.size(), 12u);
  auto marks = [](const std::string& svg) { return CountMarks(svg, "rect class=\"mark\""); };
  EXPECT_EQ(marks(svgs[0]), Distinct(d, [](const json& a) { return Field(a, "asset_class"); }));
  EXPECT_EQ(marks(svgs[1]), Distinct(d, [](const json& a) { return Field(a, "state"); }));
  EXPECT_EQ(marks(svgs[2]), Distinct(d, [](const json& a) { return Field(a, "os"); }));
  EXPECT_EQ(marks(svgs[3]), Distinct(d, [](const json& a) { return Field(a, "vendor"); }));
  EXPECT_EQ(marks(svgs[4]), Distinct(d, [](const json& a) {
              std::string l = a.contains("attributes") ? Field(a["attributes"], "location") : "";
              return l.empty() ? Field(a["location"], "switch_name") : l;
            }));
  EXPECT_EQ(marks(svgs[5]), Cells(d, {"shadow_device", "managed", "registered"}, false));
  EXPECT_EQ(marks(svgs[6]), Cells(d, {"drift"}, true));
  EXPECT_EQ(marks(svgs[7]), d.report["software_installs"].size());
  EXPECT_EQ(marks(svgs[8]), d.shadow["software"].size());
  EXPECT_EQ(marks(svgs[9]), d.compliance["products"].size());
  EXPECT_EQ(marks(svgs[10]), 3u) << "stale and overdue listed; shadow devices; no missing";
  // The map: every switch, its hosts under its ports (as many as it shows), one link per uplink.
  const size_t drawn = kSubnets * std::min<size_t>(kHosts, HtmlReportLimits().hosts_per_switch);
  EXPECT_EQ(CountMarks(svgs[11], "circle class=\"node switch\""), size_t{kSubnets});
  EXPECT_EQ(CountMarks(svgs[11], "circle class=\"node host\""), drawn);
  EXPECT_EQ(CountMarks(svgs[11], "line class=\"link port\""), drawn);
  EXPECT_EQ(CountMarks(svgs[11], "line class=\"link uplink\""), size_t{kSubnets - 1});
  EXPECT_EQ(UnresolvedLinks(shown.dom), std::vector<std::string>{});
  EXPECT_EQ(shown.dom.find("<script"), std::string::npos);
  // No element carries an event handler: names with "onload=" are only text.
  EXPECT_FALSE(std::regex_search(shown.dom, std::regex("<[^>]*\\son[a-z]+=")));
}

}  // namespace
}  // namespace estate::collector
