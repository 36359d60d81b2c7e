#include "collector/estatectl/svg_chart.h"

#include <algorithm>
#include <cstdio>

#include "collector/estatectl/render.h"

namespace estate::collector {
namespace {

constexpr const char* kPalette[] = {"#3b6ea8", "#d9822b", "#4a9c5d", "#c23b3b", "#7d5ba6",
                                    "#8c6d46", "#d46fa9", "#6f7a86", "#b5b531", "#2aa3b5"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// At most `max` characters (code points, not bytes: a cut never splits one).
std::string Shorten(std::string_view text, size_t max) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max) {
      return std::string(text.substr(0, i)) + "…";
    }
  }
  return std::string(text);
}

std::string Link(const std::string& href, const std::string& inner) {
  if (href.empty()) return inner;
  return "<a href=\"" + HtmlEscape(href) + "\">" + inner + "</a>";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  const std::string safe = TerminalSafe(text);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string BarChart(const std::vector<Bar>& bars) {
  constexpr double kLabel = 210, kPlot = 360, kRow = 20, kWidth = 640;
  uint64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.value);
  const double height = kRow * static_cast<double>(bars.size()) + 4;
  std::string out = "<svg class=\"chart bars\" width=\"" + Num(kWidth) + "\" height=\"" +
                    Num(height) + "\" viewBox=\"0 0 " + Num(kWidth) + " " + Num(height) +
                    "\" role=\"img\">";
  double y = 2;
  for (size_t i = 0; i < bars.size(); ++i, y += kRow) {
    const Bar& b = bars[i];
    const std::string label = HtmlEscape(Shorten(b.label, 30));
    const double w = std::max(1.0, kPlot * static_cast<double>(b.value) / static_cast<double>(max));
    out += "<text x=\"" + Num(kLabel - 6) + "\" y=\"" + Num(y + 14) + "\" text-anchor=\"end\">" +
           label + "</text>";
    if (b.value > 0) {
      out += Link(b.href, "<rect class=\"mark\" x=\"" + Num(kLabel) + "\" y=\"" + Num(y + 2) +
                              "\" width=\"" + Num(w) + "\" height=\"" + Num(kRow - 4) +
                              "\" fill=\"" + kPalette[0] + "\"><title>" + HtmlEscape(b.label) +
                              ": " + std::to_string(b.value) + "</title></rect>");
    }
    out += "<text x=\"" + Num(kLabel + w + 4) + "\" y=\"" + Num(y + 14) + "\">" +
           std::to_string(b.value) + "</text>";
  }
  return out + "</svg>";
}

std::string StackedColumns(const StackedSeries& s) {
  constexpr double kWidth = 640, kLeft = 48, kRight = 10, kTop = 10, kPlotH = 170;
  const size_t n = s.buckets.size();
  std::vector<uint64_t> totals(n, 0);
  for (const auto& row : s.values) {
    for (size_t b = 0; b < n && b < row.size(); ++b) totals[b] += row[b];
  }
  const uint64_t max =
      std::max<uint64_t>(1, n ? *std::max_element(totals.begin(), totals.end()) : 1);
  const double legend_y = kTop + kPlotH + 34;
  const double height = legend_y + 18;
  std::string out = "<svg class=\"chart columns\" width=\"" + Num(kWidth) + "\" height=\"" +
                    Num(height) + "\" viewBox=\"0 0 " + Num(kWidth) + " " + Num(height) +
                    "\" role=\"img\">";
  // Axis: the baseline and the largest column's total.
  out += "<path class=\"axis\" d=\"M" + Num(kLeft) + " " + Num(kTop) + "V" + Num(kTop + kPlotH) +
         "H" + Num(kWidth - kRight) + "\" stroke=\"#999\" fill=\"none\"/>";
  out += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(kTop + 10) + "\" text-anchor=\"end\">" +
         std::to_string(max) + "</text>";
  const double col = n ? (kWidth - kLeft - kRight) / static_cast<double>(n) : 0;
  auto colour = [&s](size_t k) {
    return k < s.colours.size() ? s.colours[k] : std::string(kPalette[k % std::size(kPalette)]);
  };
  const size_t label_every = std::max<size_t>(1, (n + 7) / 8);
  for (size_t b = 0; b < n; ++b) {
    double y = kTop + kPlotH;
    const double x = kLeft + col * static_cast<double>(b) + col * 0.1;
    for (size_t k = 0; k < s.values.size(); ++k) {
      const uint64_t v = b < s.values[k].size() ? s.values[k][b] : 0;
      if (v == 0) continue;
      const double h = kPlotH * static_cast<double>(v) / static_cast<double>(max);
      y -= h;
      const std::string href = k < s.hrefs.size() ? s.hrefs[k] : "";
      out += Link(href, "<rect class=\"mark\" x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" +
                            Num(col * 0.8) + "\" height=\"" + Num(std::max(h, 0.5)) + "\" fill=\"" +
                            colour(k) + "\"><title>" + HtmlEscape(s.buckets[b]) + " " +
                            HtmlEscape(s.names[k]) + ": " + std::to_string(v) + "</title></rect>");
    }
    if (b % label_every == 0) {
      out += "<text x=\"" + Num(x) + "\" y=\"" + Num(kTop + kPlotH + 14) + "\">" +
             HtmlEscape(s.buckets[b]) + "</text>";
    }
  }
  double x = kLeft;
  for (size_t k = 0; k < s.names.size(); ++k) {
    const std::string key = "<rect class=\"key\" x=\"" + Num(x) + "\" y=\"" + Num(legend_y - 10) +
                            "\" width=\"10\" height=\"10\" fill=\"" + colour(k) + "\"/><text x=\"" +
                            Num(x + 14) + "\" y=\"" + Num(legend_y) + "\">" +
                            HtmlEscape(s.names[k]) + "</text>";
    out += Link(k < s.hrefs.size() ? s.hrefs[k] : "", key);
    x += 24 + 7.0 * static_cast<double>(s.names[k].size());
  }
  return out + "</svg>";
}

std::string NetworkMap(const std::vector<std::string>& groups, const std::vector<MapNode>& nodes,
                       const std::vector<MapLink>& links) {
  constexpr double kWidth = 960, kCell = 120, kHostGap = 12, kHostsPerRow = 8;
  constexpr size_t kCellsPerRow = 8;
  struct Point {
    double x = 0, y = 0;
  };
  std::vector<Point> at(nodes.size());
  // Hosts per switch, in order, to place them in a grid under it.
  std::vector<std::vector<size_t>> hosts(nodes.size());
  std::vector<std::vector<size_t>> switches(groups.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].is_switch && nodes[i].group < groups.size()) switches[nodes[i].group].push_back(i);
    if (!nodes[i].is_switch && nodes[i].parent < nodes.size()) hosts[nodes[i].parent].push_back(i);
  }
  std::string bands;
  double y = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    bands += "<text class=\"group\" x=\"4\" y=\"" + Num(y + 14) + "\">" + HtmlEscape(groups[g]) +
             "</text>";
    const double top = y;
    y += 36;
    for (size_t row = 0; row * kCellsPerRow < switches[g].size(); ++row) {
      size_t deepest = 0;
      for (size_t c = 0; c < kCellsPerRow && row * kCellsPerRow + c < switches[g].size(); ++c) {
        const size_t s = switches[g][row * kCellsPerRow + c];
        at[s] = {kCell * static_cast<double>(c) + kCell / 2, y};
        for (size_t h = 0; h < hosts[s].size(); ++h) {
          const double col = static_cast<double>(h % static_cast<size_t>(kHostsPerRow));
          const double line = static_cast<double>(h / static_cast<size_t>(kHostsPerRow));
          at[hosts[s][h]] = {at[s].x - kHostGap * (kHostsPerRow - 1) / 2 + kHostGap * col,
                             y + 40 + kHostGap * line};
        }
        deepest = std::max(deepest, hosts[s].size());
      }
      y += 56 + kHostGap * static_cast<double>((deepest + 7) / 8);
    }
    bands = "<rect class=\"band\" x=\"0\" y=\"" + Num(top) + "\" width=\"" + Num(kWidth) +
            "\" height=\"" + Num(y - top - 4) + "\" fill=\"" + (g % 2 ? "#f4f6f8" : "#eef2f7") +
            "\"/>" + bands;
    y += 4;
  }
  const double height = std::max(y, 20.0);
  std::string out = "<svg class=\"chart map\" width=\"" + Num(kWidth) + "\" height=\"" +
                    Num(height) + "\" viewBox=\"0 0 " + Num(kWidth) + " " + Num(height) +
                    "\" role=\"img\">" + bands;
  auto line = [&](size_t a, size_t b, const char* cls, const char* colour) {
    return "<line class=\"link " + std::string(cls) + "\" x1=\"" + Num(at[a].x) + "\" y1=\"" +
           Num(at[a].y) + "\" x2=\"" + Num(at[b].x) + "\" y2=\"" + Num(at[b].y) + "\" stroke=\"" +
           colour + "\"/>";
  };
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_switch && nodes[i].parent < nodes.size()) {
      out += line(nodes[i].parent, i, "port", "#b8c2cc");
    }
  }
  for (const auto& l : links) {
    if (l.from < nodes.size() && l.to < nodes.size())
      out += line(l.from, l.to, "uplink", "#d9822b");
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const MapNode& n = nodes[i];
    std::string circle = "<circle class=\"node " + std::string(n.is_switch ? "switch" : "host") +
                         "\" cx=\"" + Num(at[i].x) + "\" cy=\"" + Num(at[i].y) + "\" r=\"" +
                         (n.is_switch ? "9" : "4") + "\" fill=\"" +
                         (n.is_switch ? kPalette[0] : kPalette[2]) + "\"><title>" +
                         HtmlEscape(n.tooltip.empty() ? n.label : n.tooltip) + "</title></circle>";
    if (n.is_switch) {
      circle += "<text x=\"" + Num(at[i].x) + "\" y=\"" + Num(at[i].y + 24) +
                "\" text-anchor=\"middle\">" + HtmlEscape(Shorten(n.label, 16)) + "</text>";
    }
    out += Link(n.href, circle);
  }
  return out + "</svg>";
}

}  // namespace estate::collector
