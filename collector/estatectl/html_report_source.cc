#include "collector/estatectl/html_report_source.h"

#include <map>
#include <set>
#include <vector>

#include "collector/admin/admin_args.h"
#include "collector/estatectl/admin_client.h"
#include "collector/estatectl/render.h"

namespace estate::collector {
namespace {

using json = nlohmann::json;

// The report's own options; the rest are asset filters, for every list.
const std::set<std::string> kReportOnly = {"html", "stale", "top", "no-software", "expiring"};
// The event kinds the page charts.
const char* const kChartedKinds[] = {"shadow_device", "managed", "registered", "drift"};
// Pages of events per kind: 100,000 each (the collector's most), the oldest dropped beyond.
constexpr int kEventPages = 10;

Result<json> Call(const std::string& socket, const v1::AdminRequest& request) {
  auto response = CallAdmin(socket, request);
  if (!response.ok()) return response.status();
  if (!response->ok()) {
    return response->denied()
               ? Status::PermissionDenied(request.command() + ": " + response->error())
               : Status::InvalidArgument(request.command() + ": " + response->error());
  }
  json j = json::parse(response->json(), nullptr, false);
  if (j.is_discarded()) return Status::Corruption(request.command() + ": unreadable result");
  return j;
}

v1::AdminRequest Request(const std::string& command, std::vector<std::string> args = {}) {
  v1::AdminRequest r;
  r.set_command(command);
  for (auto& a : args) r.add_args(std::move(a));
  return r;
}

}  // namespace

Result<HtmlReportData> GatherHtmlReport(const std::string& socket, const v1::AdminRequest& report,
                                        const HtmlReportLimits& limits) {
  HtmlReportData data;
  data.generated_at = FormatHumanTime(UnixNow());
  v1::AdminRequest filters = Request("assets");
  for (const auto& [name, value] : report.options()) {
    if (kReportOnly.count(name)) continue;
    (*filters.mutable_options())[name] = value;
    // Options come sorted (a protobuf map, ordered here): the scope reads the same every time.
  }
  std::map<std::string, std::string> sorted(filters.options().begin(), filters.options().end());
  for (const auto& [name, value] : sorted) {
    data.scope += (data.scope.empty() ? "--" : " --") + name;
    if (value != "true") data.scope += " " + value;
  }

  v1::AdminRequest r = report;
  r.mutable_options()->erase("html");
  if (!r.options().count("expiring")) (*r.mutable_options())["expiring"] = "90d";
  auto got = Call(socket, r);
  if (!got.ok()) return got.status();
  data.report = std::move(*got);

  got = Call(socket, filters);
  if (!got.ok()) return got.status();
  if ((*got).contains("assets")) data.assets = std::move((*got)["assets"]);
  std::set<std::string> in_scope;
  for (const auto& a : data.assets) in_scope.insert(a.value("id", ""));

  for (const char* kind : kChartedKinds) {
    uint64_t since = 0;
    for (int page = 0; page < kEventPages; ++page) {
      v1::AdminRequest e = Request("events");
      (*e.mutable_options())["kind"] = kind;
      (*e.mutable_options())["limit"] = "100000";
      (*e.mutable_options())["since"] = std::to_string(since);
      got = Call(socket, e);
      if (!got.ok()) return got.status();
      for (auto& event : (*got)["events"]) {
        if (sorted.empty() || in_scope.count(event.value("asset_id", ""))) {
          data.events.push_back(std::move(event));
        }
      }
      since = got->value("last_seq", since);
      if (!got->value("more", false)) break;
    }
  }

  v1::AdminRequest shadow = Request("shadow");
  (*shadow.mutable_options())["software"] = "true";
  got = Call(socket, shadow);
  if (!got.ok()) return got.status();
  data.shadow = std::move(*got);

  // Licences may be another role's business: the page says so rather than fail.
  got = Call(socket, Request("compliance"));
  if (got.ok()) data.compliance = std::move(*got);

  // The switches' LLDP/CDP neighbours, from their last SNMP inventory.
  size_t switches = 0;
  for (const auto& a : data.assets) {
    if (a.value("device_type", "") != "switch" || switches++ >= limits.map_switches) continue;
    got = Call(socket, Request("show", {a.value("id", "")}));
    if (!got.ok()) return got.status();
    json device = {{"hostname", got->value("hostname", "")}};
    if (got->contains("snmp"))
      device["snmp"] = {{"sys_name", (*got)["snmp"].value("sys_name", "")},
                        {"neighbors", (*got)["snmp"].value("neighbors", json::array())}};
    data.devices.push_back(std::move(device));
  }
  return data;
}

}  // namespace estate::collector
