// `estatectl report --html FILE`: one self-contained HTML page (inline CSS,
// inline SVG, no script, no URL outside the file) drawn from the answers of
// read-only admin commands, so the page shows nothing a command cannot:
// `report`, `assets`, `events`, `shadow`, `compliance` and `show` of the
// network devices. Every figure links to a table of what is behind it, each
// table truncated with its full count and the command that lists it all.
// Pure: the gathering (html_report_source.h) is apart. Thread-safe.
#ifndef ESTATE_COLLECTOR_ESTATECTL_HTML_REPORT_H_
#define ESTATE_COLLECTOR_ESTATECTL_HTML_REPORT_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace estate::collector {

// The commands' answers, as the collector sent them.
struct HtmlReportData {
  nlohmann::json report = nlohmann::json::object();  // report --expiring AGE [filters]
  nlohmann::json assets = nlohmann::json::array();   // assets [filters]: "assets"
  nlohmann::json events = nlohmann::json::array();   // events of the kinds charted
  nlohmann::json shadow = nlohmann::json::object();  // shadow --software
  nlohmann::json compliance;                         // compliance, null when refused
  nlohmann::json devices = nlohmann::json::array();  // show of each switch in scope
  std::string scope;         // the filters, as typed ("--location HQ"), for titles and commands
  std::string generated_at;  // ISO 8601 UTC
};

// How much the page holds: enough to read, bounded for 100,000 assets.
struct HtmlReportLimits {
  size_t bars = 12;              // per chart, the rest one "other" bar
  size_t rows = 50;              // per table
  size_t buckets = 30;           // columns of a time series
  size_t map_switches = 200;     // switches drawn
  size_t map_hosts = 2000;       // hosts drawn, spread over the switches
  size_t hosts_per_switch = 48;  // at most, a 48-port switch's worth
};

std::string RenderHtmlReport(const HtmlReportData& data, const HtmlReportLimits& limits = {});

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_HTML_REPORT_H_
