// Charts as inline SVG for the HTML report: horizontal bars, stacked columns
// over time and a node-link network map. Every mark a reader counts is one
// element with class "mark" (bars, column segments), "node" (map circles) or
// "link" (map lines), so a test can count them in the rendered page. Labels
// and tooltips go through HtmlEscape; hrefs are the caller's own "#anchor"
// strings, never text from the network. Pure functions, thread-safe.
#ifndef ESTATE_COLLECTOR_ESTATECTL_SVG_CHART_H_
#define ESTATE_COLLECTOR_ESTATECTL_SVG_CHART_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace estate::collector {

// `text` safe inside HTML or SVG text and double-quoted attributes: terminal
// controls and bad UTF-8 made visible (TerminalSafe), then & < > " ' escaped.
std::string HtmlEscape(std::string_view text);

struct Bar {
  std::string label;
  uint64_t value = 0;
  std::string href;  // "#anchor" of the assets behind the bar, or empty
};

// One row per bar, longest first as given; one rect.mark per bar with a value.
std::string BarChart(const std::vector<Bar>& bars);

// Values per (series, bucket) drawn as stacked columns: one rect.mark per
// non-zero value; a legend of the series, each linking to `hrefs[series]`.
struct StackedSeries {
  std::vector<std::string> buckets;           // column labels (dates)
  std::vector<std::string> names;             // series
  std::vector<std::string> hrefs;             // per series, may be empty
  std::vector<std::vector<uint64_t>> values;  // [series][bucket]
  std::vector<std::string> colours;           // per series ("#c23b3b"), else the palette's
};
std::string StackedColumns(const StackedSeries& series);

// A map of switches and the hosts under their ports, in groups (a subnet or
// site each, one band per group). One circle.node per node, one line.link per
// link; a host's link goes to its switch.
struct MapNode {
  std::string label;
  std::string tooltip;
  std::string href;
  bool is_switch = false;
  size_t group = 0;
  size_t parent = SIZE_MAX;  // a host: its switch's node index
};
struct MapLink {
  size_t from = 0, to = 0;  // node indices; switch to switch (LLDP/CDP)
};
std::string NetworkMap(const std::vector<std::string>& groups, const std::vector<MapNode>& nodes,
                       const std::vector<MapLink>& links);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_SVG_CHART_H_
